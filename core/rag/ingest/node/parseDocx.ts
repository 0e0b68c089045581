// DOCX with mammoth: converted to HTML (headings from Word's heading styles become h1-h6), then to
// heading sections like any HTML. Line ranges count lines of the extracted text, one paragraph a
// line. The archive is checked for a zip bomb first; images are never read.

import type { ParsedDocument } from '../../common/document.js';
import { parseHtml } from '../common/parseHtml.js';
import type { ParseTarget } from '../common/parseText.js';
import { UnparsableFileError } from '../common/skips.js';
import { checkZipExpansion } from './zipExpansion.js';

type Mammoth = typeof import('mammoth');

let mammoth: Promise<Mammoth> | undefined;

/** mammoth, loaded once per thread. */
export function loadMammoth(): Promise<Mammoth> {
  mammoth ??= import('mammoth').then((m) => (m as { default?: Mammoth }).default ?? m);
  return mammoth;
}

/** Parts mammoth reads: XML and relationships (not media, fonts or embedded files). */
function readByMammoth(name: string): boolean {
  return name.endsWith('.xml') || name.endsWith('.rels');
}

/** Parses a DOCX; `maxExpandedBytes` bounds what its XML parts may inflate to. */
export async function parseDocx(target: ParseTarget, bytes: Uint8Array, maxExpandedBytes: number): Promise<ParsedDocument> {
  await checkZipExpansion(bytes, maxExpandedBytes, readByMammoth);
  const { convertToHtml, images } = await loadMammoth();
  let html: string;
  try {
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const noImages = images.imgElement(async () => ({ src: '' }));
    html = (await convertToHtml({ buffer }, { convertImage: noImages, externalFileAccess: false })).value;
  } catch (error) {
    throw new UnparsableFileError('malformed', `malformed DOCX (${error instanceof Error ? error.message : String(error)})`);
  }
  return { path: target.path, kind: 'docx', sections: parseHtml(html, 'output') };
}
