// Names of chunk tables: one table per corpus and embedder, so vectors of two embedders are
// never mixed and a dimension mismatch cannot happen by construction.

import { shortHash } from '../../embed/common/embedderId.js';

/** Lower-case letters, digits and `-` only, at most `max` characters. */
export function slug(text: string, max = 40): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return (s || 'x').slice(0, max);
}

/** The table of `corpus` for the embedder `embedderId`: `chunks__<corpus>__<embedder>_<hash>`. */
export function chunkTableName(corpus: string, embedderId: string): string {
  return `chunks__${slug(corpus)}__${slug(embedderId, 32)}_${shortHash(`${corpus}\u0000${embedderId}`)}`;
}

/** The alias file (a pointer to the table in use) of `corpus`, relative to the database folder. */
export function aliasFileName(corpus: string): string {
  return `${slug(corpus)}_${shortHash(corpus)}.current.json`;
}
