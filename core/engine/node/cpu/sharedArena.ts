// One shared WebAssembly memory holding weights, KV cache and activations, with a bump allocator.
// Everything is allocated once at load time (llama2.c's RunState), so there is no free list;
// views are re-made after the memory grows.

import { ExpectedError, ErrorReason } from '../../../base/common/errors.js';
import { MAX_PAGES } from './wasmKernels.js';

const PAGE = 65536;
const ALIGN = 64;

export class SharedArena {
  readonly memory: WebAssembly.Memory;
  private top: number;

  /** `base`: first byte the kernels' static data leaves free. */
  constructor(base: number) {
    this.memory = new WebAssembly.Memory({ initial: Math.ceil((base + ALIGN) / PAGE) + 1, maximum: MAX_PAGES, shared: true });
    this.top = Math.ceil(base / ALIGN) * ALIGN;
  }

  /** Bytes allocated so far (including the kernels' static data). */
  get used(): number {
    return this.top;
  }

  /** Allocates `bytes` (64-byte aligned), growing the memory; fails clearly past 4 GiB. */
  alloc(bytes: number, what: string): number {
    const ptr = this.top;
    const end = ptr + Math.ceil(bytes / ALIGN) * ALIGN;
    if (end > MAX_PAGES * PAGE) {
      throw new ExpectedError(ErrorReason.Limit, `the CPU backend cannot hold ${what}: it needs ${(end / 2 ** 30).toFixed(2)} GiB in all, above the 4 GiB a WebAssembly memory can address; use a smaller model or context`);
    }
    const have = this.memory.buffer.byteLength;
    if (end > have) this.memory.grow(Math.ceil((end - have) / PAGE));
    this.top = end;
    return ptr;
  }

  bytes(ptr: number, length: number): Uint8Array {
    return new Uint8Array(this.memory.buffer, ptr, length);
  }

  f32(ptr: number, length: number): Float32Array {
    return new Float32Array(this.memory.buffer, ptr, length);
  }

  i32(ptr: number, length: number): Int32Array {
    return new Int32Array(this.memory.buffer, ptr, length);
  }
}
