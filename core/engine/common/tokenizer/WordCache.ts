// The ids of recently seen words, for encoders whose words tokenize independently of each other
// (BPE after pre-tokenization, SentencePiece between safe cuts). Real text repeats words a lot.

/** Word -> ids, computed on a miss; emptied when it reaches `limit` entries. */
export class WordCache {
  private readonly map = new Map<string, readonly number[]>();

  constructor(
    private readonly compute: (word: string) => readonly number[],
    private readonly limit = 1 << 16,
  ) {}

  /** Appends the ids of `word` to `out`. */
  append(word: string, out: number[]): void {
    let ids = this.map.get(word);
    if (ids === undefined) {
      ids = this.compute(word);
      if (this.map.size >= this.limit) this.map.clear();
      this.map.set(word, ids);
    }
    for (const id of ids) out.push(id);
  }
}
