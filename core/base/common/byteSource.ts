// Random access to the bytes of a file or buffer. Model loaders read headers and tensors by byte
// range through this, so that weights are never parsed number by number nor copied twice.

/** A readable run of bytes: a file on disk, a browser File, or a buffer in memory. */
export interface ByteSource {
  /** Name used in error messages (the file path). */
  readonly name: string;
  /** Total size in bytes. */
  readonly size: number;
  /** Reads `target.length` bytes starting at `offset` into `target`; fails if past the end. */
  readInto(offset: number, target: Uint8Array): Promise<void>;
  /** Releases the underlying handle. */
  close(): Promise<void>;
}

/** Reads a fresh copy of `length` bytes at `offset`. */
export async function readBytes(source: ByteSource, offset: number, length: number): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  await source.readInto(offset, out);
  return out;
}

/** A ByteSource over bytes already in memory (tests, fuzzing, downloads in a browser). */
export class MemoryByteSource implements ByteSource {
  readonly size: number;
  constructor(
    readonly name: string,
    private readonly bytes: Uint8Array,
  ) {
    this.size = bytes.length;
  }
  async readInto(offset: number, target: Uint8Array): Promise<void> {
    if (offset < 0 || offset + target.length > this.size) {
      throw new RangeError(`${this.name}: read of ${target.length} bytes at ${offset} is past the end (${this.size})`);
    }
    target.set(this.bytes.subarray(offset, offset + target.length));
  }
  async close(): Promise<void> {}
}
