// The merge loop shared by BPE and SentencePiece: a word starts as a chain of symbols (bytes or
// characters); the best-ranked adjacent pair found in the pair table is merged, its neighbours'
// pairs are queued, and this repeats until no pair is left. Symbols are integer ids, pairs are
// looked up in an integer hash table (PairTable), and a priority queue with a linked list keeps it O(n log n).

import { MergeQueue } from './MergeQueue.js';
import type { PairTable } from './PairTable.js';

/** How to read a pair table's values. */
export interface PairRules {
  /** Lower goes first (a BPE rank; minus a SentencePiece score, as a rank). */
  priority(value: number): number;
  /** The symbol the pair merges into. */
  result(value: number): number;
}

/** Merges chains of symbols with a fixed pair table. One instance per tokenizer (not re-entrant). */
export class SymbolMerger {
  private readonly queue = new MergeQueue();
  private symbols = new Int32Array(64);
  private next = new Int32Array(64);
  private prev = new Int32Array(64);

  constructor(
    private readonly pairs: PairTable,
    private readonly rules: PairRules,
  ) {}

  /** Merges `input` (symbol ids; negative ids never merge) and returns the resulting symbols. */
  merge(input: ArrayLike<number>): number[] {
    const count = input.length;
    this.reserve(count);
    const { symbols, next, prev, queue } = this;
    for (let i = 0; i < count; i++) {
      symbols[i] = input[i];
      prev[i] = i - 1;
      next[i] = i + 1 < count ? i + 1 : -1;
    }
    queue.clear();
    for (let i = 1; i < count; i++) this.tryPair(i - 1, i);
    for (let entry = queue.pop(); entry >= 0; entry = queue.pop()) {
      const left = queue.left(entry);
      const right = queue.right(entry);
      // Stale: one side has changed since the entry was queued (llama.cpp compares the texts).
      if (symbols[left] !== queue.leftSymbol(entry) || symbols[right] !== queue.rightSymbol(entry)) continue;
      symbols[left] = this.rules.result(this.pairs.get(symbols[left], symbols[right]));
      symbols[right] = -2;
      next[left] = next[right];
      if (next[right] >= 0) prev[next[right]] = left;
      this.tryPair(prev[left], left);
      this.tryPair(left, next[left]);
    }
    const out: number[] = [];
    for (let i = count > 0 ? 0 : -1; i >= 0; i = next[i]) out.push(symbols[i]);
    return out;
  }

  private tryPair(left: number, right: number): void {
    if (left < 0 || right < 0) return;
    const a = this.symbols[left];
    const b = this.symbols[right];
    if (a < 0 || b < 0) return;
    const value = this.pairs.get(a, b);
    if (value < 0) return;
    this.queue.push(this.rules.priority(value), left, right, a, b);
  }

  private reserve(count: number): void {
    if (this.symbols.length >= count) return;
    const size = Math.max(count, this.symbols.length * 2);
    this.symbols = new Int32Array(size);
    this.next = new Int32Array(size);
    this.prev = new Int32Array(size);
  }
}
