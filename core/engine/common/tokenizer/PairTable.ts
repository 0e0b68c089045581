// The pair table of the merge loop: (left symbol, right symbol) -> value, an open-addressing hash
// table over typed arrays. A JavaScript Map keyed by left * n + right would box every key (they
// pass 2^31) and is several times slower on the hot path.

/** Symbol ids must stay below this. */
export const SYMBOL_LIMIT = 1 << 30;

/** (left symbol, right symbol) -> non-negative value; symbol ids are non-negative Int32. */
export class PairTable {
  private lefts = new Int32Array(1024).fill(-1);
  private rights = new Int32Array(1024);
  private values = new Int32Array(1024);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The value of (left, right), or -1 when the pair does not merge. */
  get(left: number, right: number): number {
    const mask = this.lefts.length - 1;
    for (let slot = hash(left, right) & mask; ; slot = (slot + 1) & mask) {
      const stored = this.lefts[slot];
      if (stored === -1) return -1;
      if (stored === left && this.rights[slot] === right) return this.values[slot];
    }
  }

  /** Stores (left, right) -> value unless the pair is already there (the first value wins). */
  add(left: number, right: number, value: number): void {
    if (2 * (this.count + 1) > this.lefts.length) this.grow();
    const mask = this.lefts.length - 1;
    for (let slot = hash(left, right) & mask; ; slot = (slot + 1) & mask) {
      const stored = this.lefts[slot];
      if (stored === left && this.rights[slot] === right) return;
      if (stored !== -1) continue;
      this.lefts[slot] = left;
      this.rights[slot] = right;
      this.values[slot] = value;
      this.count++;
      return;
    }
  }

  private grow(): void {
    const { lefts, rights, values } = this;
    this.lefts = new Int32Array(lefts.length * 2).fill(-1);
    this.rights = new Int32Array(lefts.length * 2);
    this.values = new Int32Array(lefts.length * 2);
    this.count = 0;
    for (let slot = 0; slot < lefts.length; slot++) if (lefts[slot] !== -1) this.add(lefts[slot], rights[slot], values[slot]);
  }
}

function hash(left: number, right: number): number {
  return (Math.imul(left, 0x9e3779b1) ^ Math.imul(right, 0x85ebca77)) >>> 7;
}
