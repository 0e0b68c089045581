// Writes a GGUF file to disk tensor by tensor (see common/gguf/ggufWriter.ts), into a temporary
// file renamed into place at the end, so a crash never leaves a truncated file under the real name.

import { open, rename, rm } from 'node:fs/promises';
import { writeGgufTo, type GgufStreamTensor, type GgufWriteSpec } from '../../common/gguf/ggufWriter.js';

/** Writes `spec` to `path`, producing each tensor's bytes only when it is written; returns the file size. */
export async function writeGgufFile(path: string, spec: GgufWriteSpec<GgufStreamTensor>): Promise<number> {
  const partial = `${path}.partial-${process.pid}`;
  const handle = await open(partial, 'w');
  try {
    const size = await writeGgufTo({
      async write(bytes) {
        for (let done = 0; done < bytes.length; ) {
          const { bytesWritten } = await handle.write(bytes, done, bytes.length - done);
          done += bytesWritten;
        }
      },
    }, spec);
    await handle.close();
    await rename(partial, path);
    return size;
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(partial, { force: true });
    throw error;
  }
}
