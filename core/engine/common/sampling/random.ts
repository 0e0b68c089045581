// A small seeded PRNG for sampling: xoshiro128** (Blackman & Vigna), seeded through splitmix32.
// Only 32-bit integer operations (Math.imul, >>>), so the same seed gives the same numbers on
// every platform and engine, unlike Math.random.

/** A deterministic stream of random numbers. */
export interface Random {
  /** The next 32-bit unsigned integer. */
  nextUint32(): number;
  /** The next float in [0, 1), with 32 bits of randomness. */
  nextFloat(): number;
}

const TWO_POW_32 = 2 ** 32;

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** One splitmix32 step from `state`; used only to spread a seed over the xoshiro state. */
function splitmix32(state: number): number {
  let z = (state + 0x9e3779b9) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
  z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
  return (z ^ (z >>> 15)) >>> 0;
}

/** xoshiro128**: 128 bits of state, period 2^128 - 1. */
class Xoshiro128 implements Random {
  constructor(
    private s0: number,
    private s1: number,
    private s2: number,
    private s3: number,
  ) {}

  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  nextFloat(): number {
    return this.nextUint32() / TWO_POW_32;
  }
}

/**
 * A xoshiro128** generator whose state is derived from `seed` (an integer in [0, 2^53)): both
 * 32-bit halves of the seed go through splitmix32, so nearby seeds give unrelated streams.
 */
export function createRandom(seed: number): Random {
  const low = seed >>> 0;
  const high = Math.floor(seed / TWO_POW_32) >>> 0;
  let state = splitmix32(low ^ splitmix32(high));
  const words: number[] = [];
  for (let i = 0; i < 4; i++) {
    state = splitmix32(state + i);
    words.push(state);
  }
  // An all-zero state would only ever produce zeros.
  if ((words[0] | words[1] | words[2] | words[3]) === 0) words[0] = 1;
  return new Xoshiro128(words[0], words[1], words[2], words[3]);
}

/** A xoshiro128** generator with the given raw state (for checking against reference vectors). */
export function createRandomFromState(state: readonly [number, number, number, number]): Random {
  return new Xoshiro128(state[0] | 0, state[1] | 0, state[2] | 0, state[3] | 0);
}
