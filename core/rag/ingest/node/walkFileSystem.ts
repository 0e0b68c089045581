// The file-system calls the walker and the reader make, behind a small interface: Node's
// implementation here, and tests wrap it to inject failures (an unreadable file when running as
// root, where permissions cannot make one).

import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readFileSync, readSync, realpathSync, statSync } from 'node:fs';

/** Type of a directory entry or of a stat result. */
export type FileType = 'file' | 'directory' | 'symlink' | 'other';

/** A name in a folder and its type (not following symbolic links). */
export interface WalkDirent {
  readonly name: string;
  readonly type: FileType;
}

/** What the walker needs to know of a file. */
export interface WalkStat {
  readonly type: FileType;
  readonly size: number;
  readonly mtimeMs: number;
}

/** File-system access of the walker and the reader. Paths are absolute. */
export interface WalkFileSystem {
  /** Names in a folder with their types. */
  readdir(path: string): Promise<WalkDirent[]>;
  /** Type, size and time of a path; `follow` follows a final symbolic link. */
  stat(path: string, follow: boolean): Promise<WalkStat>;
  /** The canonical path (every symbolic link resolved). */
  realpath(path: string): Promise<string>;
  /** Up to `length` leading bytes of a file. */
  readHead(path: string, length: number): Promise<Uint8Array>;
  /** A whole file, or an error with code "EFBIG" when it is longer than `maxBytes`. */
  readFile(path: string, maxBytes: number): Promise<Uint8Array>;
  /** A small text file (ignore files), UTF-8. */
  readText(path: string): Promise<string>;
}

function typeOf(entry: { isFile(): boolean; isDirectory(): boolean; isSymbolicLink(): boolean }): FileType {
  return entry.isFile() ? 'file' : entry.isDirectory() ? 'directory' : entry.isSymbolicLink() ? 'symlink' : 'other';
}

/** O_NONBLOCK keeps an open() of a FIFO that slipped past the type check from blocking. */
const READ_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/** Reads all of an open file into a buffer of `size + 1` bytes; returns the bytes read. */
function readAll(fd: number, buffer: Uint8Array): number {
  let done = 0;
  for (let n = -1; n !== 0 && done < buffer.length; done += n) n = readSync(fd, buffer, done, buffer.length - done, done);
  return done;
}

function tooBig(message: string): Error {
  return Object.assign(new Error(message), { code: 'EFBIG' });
}

/**
 * node:fs with synchronous calls behind the async interface: the walker makes many tiny calls
 * (stat, an 8 KB read) and reads of whole files are short, and a libuv round trip costs more than the call itself (a walk of 6,000
 * files takes half the time). Each call blocks briefly; walks run off the UI thread.
 */
export const nodeFileSystem: WalkFileSystem = {
  async readdir(path) {
    return readdirSync(path, { withFileTypes: true }).map((e) => ({ name: e.name, type: typeOf(e) }));
  },
  async stat(path, follow) {
    const s = follow ? statSync(path) : lstatSync(path);
    return { type: typeOf(s), size: s.size, mtimeMs: s.mtimeMs };
  },
  realpath: async (path) => realpathSync(path),
  async readHead(path, length) {
    const fd = openSync(path, READ_FLAGS);
    try {
      const buffer = new Uint8Array(length);
      return buffer.subarray(0, readSync(fd, buffer, 0, length, 0));
    } finally {
      closeSync(fd);
    }
  },
  async readFile(path, maxBytes) {
    const fd = openSync(path, READ_FLAGS);
    try {
      const { size } = fstatSync(fd);
      if (size > maxBytes) throw tooBig(`${path} is ${size} bytes, over ${maxBytes}`);
      // One byte more than the size seen: a file that grew since is caught, not truncated.
      const buffer = new Uint8Array(size + 1);
      const done = readAll(fd, buffer);
      if (done > maxBytes) throw tooBig(`${path} grew past ${maxBytes} bytes`);
      return buffer.subarray(0, done);
    } finally {
      closeSync(fd);
    }
  },
  readText: async (path) => readFileSync(path, 'utf8'),
};

/** Whether a file-system error says the path (or a folder on it) does not exist. */
export function isMissing(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** A file-system error's message, with its code ("EACCES: ...") when the message lacks it. */
export function errorMessage(error: unknown): string {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}
