// A ByteSource over a file on disk: positioned reads through one file handle.

import { open, type FileHandle } from 'node:fs/promises';
import type { ByteSource } from '../common/byteSource.js';

/** Reads byte ranges of a file without loading it whole. */
export class FileByteSource implements ByteSource {
  private constructor(
    readonly name: string,
    readonly size: number,
    private readonly handle: FileHandle,
  ) {}

  /** Opens `path` for reading. */
  static async open(path: string): Promise<FileByteSource> {
    const handle = await open(path, 'r');
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) throw new Error(`${path} is not a regular file`);
      return new FileByteSource(path, stat.size, handle);
    } catch (error) {
      await handle.close();
      throw error;
    }
  }

  async readInto(offset: number, target: Uint8Array): Promise<void> {
    if (offset < 0 || offset + target.length > this.size) {
      throw new RangeError(`${this.name}: read of ${target.length} bytes at ${offset} is past the end (${this.size})`);
    }
    // Large reads are split: a single read call is capped near 2 GB.
    const step = 1 << 30;
    for (let done = 0; done < target.length; ) {
      const length = Math.min(step, target.length - done);
      const { bytesRead } = await this.handle.read(target, done, length, offset + done);
      if (bytesRead === 0) throw new RangeError(`${this.name}: unexpected end of file at ${offset + done}`);
      done += bytesRead;
    }
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
