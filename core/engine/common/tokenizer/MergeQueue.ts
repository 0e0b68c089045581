// A binary min-heap of candidate merges for the BPE and SentencePiece encoders. An entry is
// (priority, left, right, leftSymbol, rightSymbol); the smallest priority pops first and ties go to
// the leftmost pair, as llama.cpp's llm_bigram_bpe / llm_bigram_spm comparators order them. The
// heap compares one packed number per entry (priority * 2^30 + left) held in a typed array, so a
// large heap stays cache friendly; all storage is reused from word to word.

/** Priorities must stay below this (with left < 2^30 the packed key stays an exact double). */
export const PRIORITY_LIMIT = 2 ** 23;
const LEFT_LIMIT = 2 ** 30;

/** Pending merges of adjacent symbols; pop() gives an entry index to read with the accessors. */
export class MergeQueue {
  private keys = new Float64Array(256);
  private entries = new Int32Array(256);
  private size = 0;
  private rights = new Int32Array(256);
  private leftSymbols = new Int32Array(256);
  private rightSymbols = new Int32Array(256);
  private lefts = new Int32Array(256);
  private count = 0;

  /** Empties the queue (keeps the storage). */
  clear(): void {
    this.count = 0;
    this.size = 0;
  }

  push(priority: number, left: number, right: number, leftSymbol: number, rightSymbol: number): void {
    if (this.count === this.lefts.length) this.grow();
    const entry = this.count++;
    this.lefts[entry] = left;
    this.rights[entry] = right;
    this.leftSymbols[entry] = leftSymbol;
    this.rightSymbols[entry] = rightSymbol;
    const key = priority * LEFT_LIMIT + left;
    const { keys, entries } = this;
    let at = this.size++;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (keys[parent] <= key) break;
      keys[at] = keys[parent];
      entries[at] = entries[parent];
      at = parent;
    }
    keys[at] = key;
    entries[at] = entry;
  }

  /** Removes and returns the first entry, or -1 when empty. */
  pop(): number {
    if (this.size === 0) return -1;
    const { keys, entries } = this;
    const top = entries[0];
    const size = --this.size;
    const key = keys[size];
    const entry = entries[size];
    let at = 0;
    for (let child = 1; child < size; child = 2 * at + 1) {
      if (child + 1 < size && keys[child + 1] < keys[child]) child++;
      if (keys[child] >= key) break;
      keys[at] = keys[child];
      entries[at] = entries[child];
      at = child;
    }
    keys[at] = key;
    entries[at] = entry;
    return top;
  }

  left(entry: number): number {
    return this.lefts[entry];
  }
  right(entry: number): number {
    return this.rights[entry];
  }
  /** The symbols at left / right when the entry was made (to detect stale entries). */
  leftSymbol(entry: number): number {
    return this.leftSymbols[entry];
  }
  rightSymbol(entry: number): number {
    return this.rightSymbols[entry];
  }

  private grow(): void {
    const size = this.lefts.length * 2;
    const widen = <T extends Int32Array | Float64Array>(old: T, fresh: T): T => {
      fresh.set(old);
      return fresh;
    };
    this.keys = widen(this.keys, new Float64Array(size));
    this.entries = widen(this.entries, new Int32Array(size));
    this.lefts = widen(this.lefts, new Int32Array(size));
    this.rights = widen(this.rights, new Int32Array(size));
    this.leftSymbols = widen(this.leftSymbols, new Int32Array(size));
    this.rightSymbols = widen(this.rightSymbols, new Int32Array(size));
  }
}
