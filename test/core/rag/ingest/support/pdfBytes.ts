// Test helper: writes small valid PDFs by hand (text pages, zero pages, an /Encrypt dictionary,
// a content stream that inflates to a huge size), so PDF tests need no binary fixtures.

import { constants, deflateSync } from 'node:zlib';

/** How to build a PDF: one string array per page (one line each), plus special cases. */
export interface PdfSpec {
  /** Lines of text per page, drawn top to bottom. */
  readonly pages: readonly (readonly string[])[];
  /** Adds an /Encrypt dictionary (standard handler, R2) whose user password is not empty. */
  readonly encrypted?: boolean;
  /** Replaces the first page's content stream with this already-deflated data (FlateDecode). */
  readonly deflatedContent?: Uint8Array;
}

function escapePdfText(text: string): string {
  return text.replace(/[\\()]/g, (c) => `\\${c}`);
}

function pageContent(lines: readonly string[]): string {
  const ops = lines.map((line, i) => `BT /F1 12 Tf 72 ${720 - i * 16} Td (${escapePdfText(line)}) Tj ET`);
  return ops.join('\n');
}

/** Builds the bytes of a PDF per `spec`, with a correct cross-reference table. */
export function makePdf(spec: PdfSpec): Uint8Array {
  const objects: (string | Uint8Array)[][] = [];
  const add = (...parts: (string | Uint8Array)[]): number => objects.push(parts);
  const catalog = add('');
  const pagesObj = add('');
  const font = add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>');
  const kids: number[] = [];
  spec.pages.forEach((lines, index) => {
    let content: number;
    if (index === 0 && spec.deflatedContent) {
      const data = spec.deflatedContent;
      content = add(`<< /Length ${data.length} /Filter /FlateDecode >>\nstream\n`, data, '\nendstream');
    } else {
      const text = pageContent(lines);
      content = add(`<< /Length ${Buffer.byteLength(text, 'latin1')} >>\nstream\n${text}\nendstream`);
    }
    kids.push(add(`<< /Type /Page /Parent ${pagesObj} 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 ${font} 0 R >> >> /Contents ${content} 0 R >>`));
  });
  objects[catalog - 1] = [`<< /Type /Catalog /Pages ${pagesObj} 0 R >>`];
  objects[pagesObj - 1] = [`<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`];
  let encrypt = 0;
  if (spec.encrypted) {
    const o = 'A'.repeat(64);
    const u = 'B'.repeat(64);
    encrypt = add(`<< /Filter /Standard /V 1 /R 2 /Length 40 /P -4 /O <${o}> /U <${u}> >>`);
  }
  const chunks: Uint8Array[] = [];
  let length = 0;
  const push = (part: string | Uint8Array): void => {
    const bytes = typeof part === 'string' ? Buffer.from(part, 'latin1') : part;
    chunks.push(bytes);
    length += bytes.length;
  };
  push('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n');
  const offsets: number[] = [];
  objects.forEach((parts, i) => {
    offsets.push(length);
    push(`${i + 1} 0 obj\n`);
    for (const part of parts) push(part);
    push('\nendobj\n');
  });
  const xref = length;
  push(`xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`);
  for (const offset of offsets) push(`${String(offset).padStart(10, '0')} 00000 n \n`);
  const id = '<0123456789ABCDEF0123456789ABCDEF>';
  const encryptRef = encrypt ? ` /Encrypt ${encrypt} 0 R` : '';
  push(`trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R /ID [${id} ${id}]${encryptRef} >>\nstartxref\n${xref}\n%%EOF\n`);
  return new Uint8Array(Buffer.concat(chunks));
}

/** A zlib stream of `size` bytes of `fill`: about a thousandth of `size` (run-length strategy: fast). */
export function deflatedFill(size: number, fill = 0x20): Uint8Array {
  return new Uint8Array(deflateSync(Buffer.alloc(size, fill), { strategy: constants.Z_RLE }));
}
