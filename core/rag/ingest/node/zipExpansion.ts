// Zip bomb check for archives such as DOCX, before a library inflates them in memory: reads the
// central directory and inflates the parts that will be read, counting bytes and keeping none, so
// that a part that expands past the limit is caught whatever sizes its headers claim.

import { createInflateRaw } from 'node:zlib';
import { UnparsableFileError } from '../common/skips.js';

/** One file in a zip archive's central directory. */
export interface ZipEntry {
  readonly name: string;
  /** 0 stored, 8 deflated. */
  readonly method: number;
  readonly compressedSize: number;
  /** As the headers claim it. */
  readonly declaredSize: number;
  /** Offset of the entry's local header. */
  readonly offset: number;
}

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;

function malformed(problem: string): UnparsableFileError {
  return new UnparsableFileError('malformed', `not a valid zip archive (${problem})`);
}

/** Lists the entries of a zip archive from its central directory. */
export function zipEntries(bytes: Uint8Array): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (view.getUint32(i, true) === END_OF_DIRECTORY) {
      end = i;
      break;
    }
  }
  if (end < 0) throw malformed('no end of central directory');
  const count = view.getUint16(end + 10, true);
  let position = view.getUint32(end + 16, true);
  const entries: ZipEntry[] = [];
  for (let k = 0; k < count; k++) {
    if (position + 46 > bytes.length || view.getUint32(position, true) !== DIRECTORY_ENTRY) throw malformed(`bad directory entry ${k}`);
    const nameLength = view.getUint16(position + 28, true);
    const extraLength = view.getUint16(position + 30, true);
    const commentLength = view.getUint16(position + 32, true);
    entries.push({
      name: new TextDecoder().decode(bytes.subarray(position + 46, position + 46 + nameLength)),
      method: view.getUint16(position + 10, true),
      compressedSize: view.getUint32(position + 20, true),
      declaredSize: view.getUint32(position + 24, true),
      offset: view.getUint32(position + 42, true),
    });
    position += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

/** The compressed bytes of an entry (after its local header). */
function entryData(bytes: Uint8Array, entry: ZipEntry): Uint8Array {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (entry.offset + 30 > bytes.length || view.getUint32(entry.offset, true) !== LOCAL_HEADER) throw malformed(`bad local header of ${entry.name}`);
  const start = entry.offset + 30 + view.getUint16(entry.offset + 26, true) + view.getUint16(entry.offset + 28, true);
  // Sizes of 0xffffffff are zip64: the data then runs as far as the archive does.
  const length = entry.compressedSize === 0xffffffff ? bytes.length - start : entry.compressedSize;
  return bytes.subarray(start, Math.min(bytes.length, start + length));
}

/** Inflates raw deflate data, counting output bytes; stops once `budget` is passed. */
function inflatedSize(data: Uint8Array, budget: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const inflater = createInflateRaw();
    let total = 0;
    inflater.on('data', (chunk: Buffer) => {
      total += chunk.length;
      if (total > budget) {
        inflater.destroy();
        resolve(total);
      }
    });
    inflater.on('end', () => resolve(total));
    inflater.on('error', (error) => reject(malformed(`cannot inflate: ${error.message}`)));
    inflater.end(data);
  });
}

/**
 * Throws UnparsableFileError("zip-bomb") when the entries that `reads` selects expand past
 * `maxExpandedBytes` together (measured by inflating them, not taken from the headers), and
 * ("malformed") when the archive cannot be read.
 */
export async function checkZipExpansion(bytes: Uint8Array, maxExpandedBytes: number, reads: (name: string) => boolean): Promise<void> {
  let total = 0;
  for (const entry of zipEntries(bytes)) {
    if (!reads(entry.name)) continue;
    const data = entryData(bytes, entry);
    if (entry.method === 0) total += data.length;
    else if (entry.method === 8) total += await inflatedSize(data, maxExpandedBytes - total);
    else throw malformed(`${entry.name} uses compression method ${entry.method}`);
    if (total > maxExpandedBytes) {
      const ratio = Math.round(total / Math.max(1, bytes.length));
      throw new UnparsableFileError('zip-bomb', `archive expands past ${Math.round(maxExpandedBytes / 1048576)} MB (${entry.name}; over ${ratio}x its size)`);
    }
  }
}
