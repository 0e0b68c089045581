// Arrow layout of a chunk table and the conversion of files' chunks into one Arrow table (built
// column by column: the vectors go in as one Float32Array, never as JS arrays of numbers).

import {
  Field,
  FixedSizeList,
  Float32,
  Float64,
  Int32,
  RecordBatch,
  Schema,
  Struct,
  Table as ArrowTable,
  Utf8,
  makeData,
  vectorFromArray,
} from 'apache-arrow';
import { ArgumentError } from '../../../base/common/errors.js';
import { searchFields } from '../common/analysis.js';
import { COLUMNS, LAYOUT_VERSION, MARKER_ORDINAL, METADATA, type EmbedderIdentity, type FileChunks } from '../common/schema.js';

const STRING_COLUMNS = [
  COLUMNS.root,
  COLUMNS.path,
  COLUMNS.language,
  COLUMNS.contentHash,
  COLUMNS.text,
  COLUMNS.context,
  COLUMNS.searchBody,
  COLUMNS.searchSummary,
] as const;
const INT_COLUMNS = [COLUMNS.startLine, COLUMNS.endLine, COLUMNS.page, COLUMNS.ordinal] as const;

/** The Arrow schema of a chunk table for `embedder` in `corpus`, with its identity as metadata. */
export function chunkSchema(corpus: string, embedder: EmbedderIdentity): Schema {
  const type = (name: string) =>
    name === COLUMNS.vector
      ? new FixedSizeList(embedder.dimension, new Field('item', new Float32(), true))
      : name === COLUMNS.mtimeMs
        ? new Float64()
        : (INT_COLUMNS as readonly string[]).includes(name)
          ? new Int32()
          : new Utf8();
  const fields = Object.values(COLUMNS).map((name) => new Field(name, type(name), false));
  const metadata = new Map([
    [METADATA.embedderId, embedder.id],
    [METADATA.dimension, String(embedder.dimension)],
    [METADATA.corpus, corpus],
    [METADATA.layout, LAYOUT_VERSION],
  ]);
  return new Schema(fields, metadata);
}

type RowValues = { strings: Record<string, string[]>; ints: Record<string, number[]>; mtimes: number[] };

/** Appends the rows of one file (its marker row when it has no chunks). */
function appendFile(values: RowValues, file: FileChunks, vectors: Float32Array, row: number, dimension: number): number {
  const push = (s: Record<string, string>, i: Record<string, number>) => {
    for (const name of STRING_COLUMNS) values.strings[name].push(s[name]);
    for (const name of INT_COLUMNS) values.ints[name].push(i[name]);
    values.mtimes.push(file.mtimeMs);
  };
  const common = { [COLUMNS.root]: file.root, [COLUMNS.path]: file.path, [COLUMNS.contentHash]: file.contentHash };
  if (file.chunks.length === 0) {
    const empty = { [COLUMNS.language]: '', [COLUMNS.text]: '', [COLUMNS.context]: '', [COLUMNS.searchBody]: '', [COLUMNS.searchSummary]: '' };
    push({ ...common, ...empty }, { [COLUMNS.startLine]: 0, [COLUMNS.endLine]: 0, [COLUMNS.page]: 0, [COLUMNS.ordinal]: MARKER_ORDINAL });
    return row + 1;
  }
  file.chunks.forEach((chunk, i) => {
    const vector = file.vectors[i];
    if (vector.length !== dimension) {
      throw new ArgumentError(`${file.path}: chunk ${i} has a vector of ${vector.length} numbers; this table holds ${dimension}`);
    }
    vectors.set(vector, (row + i) * dimension);
    const fields = searchFields(chunk);
    push(
      { ...common, [COLUMNS.language]: chunk.language, [COLUMNS.text]: chunk.text, [COLUMNS.context]: chunk.context, [COLUMNS.searchBody]: fields.body, [COLUMNS.searchSummary]: fields.summary },
      { [COLUMNS.startLine]: chunk.startLine, [COLUMNS.endLine]: chunk.endLine, [COLUMNS.page]: chunk.page ?? 0, [COLUMNS.ordinal]: chunk.ordinal },
    );
  });
  return row + file.chunks.length;
}

/** Checks one file's input before anything is written. */
function checkFile(file: FileChunks): void {
  if (file.vectors.length !== file.chunks.length) {
    throw new ArgumentError(`${file.path}: ${file.chunks.length} chunks but ${file.vectors.length} vectors`);
  }
  file.chunks.forEach((chunk, i) => {
    if (chunk.root !== file.root || chunk.path !== file.path) throw new ArgumentError(`${file.path}: chunk ${i} belongs to ${chunk.root}:${chunk.path}`);
    if (chunk.ordinal !== i) throw new ArgumentError(`${file.path}: chunk ${i} has ordinal ${chunk.ordinal}; ordinals are 0, 1, 2, ... in order`);
  });
}

/**
 * The rows of `files` as one Arrow table in the layout of `schema`.
 * @throws ArgumentError for a vector of the wrong length, chunks of another file, or ordinals
 * out of order (nothing is written then).
 */
export function filesToArrow(schema: Schema, files: readonly FileChunks[], dimension: number): ArrowTable {
  files.forEach(checkFile);
  const rows = files.reduce((n, f) => n + Math.max(1, f.chunks.length), 0);
  const values: RowValues = {
    strings: Object.fromEntries(STRING_COLUMNS.map((n) => [n, [] as string[]])),
    ints: Object.fromEntries(INT_COLUMNS.map((n) => [n, [] as number[]])),
    mtimes: [],
  };
  const vectors = new Float32Array(rows * dimension);
  let row = 0;
  for (const file of files) row = appendFile(values, file, vectors, row, dimension);
  const children = schema.fields.map((field) => {
    const name = field.name;
    if (name === COLUMNS.vector) {
      const child = makeData({ type: new Float32(), length: rows * dimension, data: vectors });
      return makeData({ type: field.type as FixedSizeList<Float32>, length: rows, nullCount: 0, child });
    }
    if (name === COLUMNS.mtimeMs) return makeData({ type: new Float64(), length: rows, data: Float64Array.from(values.mtimes) });
    if (name in values.ints) return makeData({ type: new Int32(), length: rows, data: Int32Array.from(values.ints[name]) });
    return vectorFromArray(values.strings[name], new Utf8()).data[0];
  });
  const data = makeData({ type: new Struct(schema.fields), length: rows, nullCount: 0, children });
  return new ArrowTable(schema, new RecordBatch(schema, data));
}
