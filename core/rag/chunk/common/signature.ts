// Signatures: the declaration line(s) of a unit without its body ("class Cache<V>",
// "def walk(self, path: Optional[str] = None) -> list[str]"), used as the context of its chunks;
// and the body itself, whose children a too-large unit is split at.

import type { SyntaxNode } from './syntax.js';

/** Node types that hold a unit's members or statements when no "body" field names them. */
const BODY_TYPES = new Set([
  'block', 'statement_block', 'class_body', 'declaration_list', 'field_declaration_list', 'compound_statement',
  'enum_body', 'interface_body', 'enum_variant_list', 'object_type', 'enumerator_list', 'accessor_list',
  'function_body', 'template_body', 'body_statement', 'protocol_body',
]);

/** Children skipped at the start of a signature: comments, decorators, attributes, annotations. */
const NOT_SIGNATURE = new Set([
  'comment', 'line_comment', 'block_comment', 'decorator', 'attribute_item', 'attribute_list', 'annotation',
  'marker_annotation',
]);

/** Longest signature kept, in characters (longer ones end in "…"). */
const MAX_SIGNATURE_CHARS = 160;

/** The unit's body: its "body" field, or the nearest such node below it (a few levels down). */
export function findBody(unit: SyntaxNode): SyntaxNode | undefined {
  let level: readonly SyntaxNode[] = [unit];
  for (let depth = 0; depth < 4 && level.length > 0; depth++) {
    const next: SyntaxNode[] = [];
    for (const node of level) {
      const body = node.childForFieldName('body');
      if (body) return body;
      for (const child of node.namedChildren) {
        if (BODY_TYPES.has(child.type)) return child;
        next.push(child);
      }
    }
    level = next;
  }
  return undefined;
}

/** Where the declaration proper starts: after leading comments, decorators and annotations. */
function signatureStart(node: SyntaxNode): number {
  for (const child of node.children) {
    if (NOT_SIGNATURE.has(child.type)) continue;
    if (child.type !== 'modifiers') return child.startIndex;
    const keyword = child.children.find((m) => !NOT_SIGNATURE.has(m.type));
    if (keyword) return keyword.startIndex;
  }
  return node.startIndex;
}

/**
 * The signature of a unit: the source from the declaration's start (of `outer`, the unit or the
 * node that wraps it) to the body, whitespace collapsed, a trailing "{" or ":" dropped; without
 * a body, the declaration's first line.
 */
export function signatureOf(source: string, outer: SyntaxNode, body: SyntaxNode | undefined): string {
  const start = signatureStart(outer);
  let end = body && body.startIndex > start ? body.startIndex : source.indexOf('\n', start);
  if (end < 0 || end > outer.endIndex) end = outer.endIndex;
  const raw = source.slice(start, Math.min(end, start + 4 * MAX_SIGNATURE_CHARS));
  const text = raw.replace(/\s+/g, ' ').trim().replace(/\s*[{:]$/, '');
  if (text.length === 0) return outer.type;
  return text.length > MAX_SIGNATURE_CHARS ? `${text.slice(0, MAX_SIGNATURE_CHARS - 1)}…` : text;
}

/**
 * Last row of a unit's header when it is split at its body: the body's first row if the
 * declaration goes on there (`function f() {`), else the row before (Python blocks, C's "{" line).
 */
export function headerLastRow(lines: readonly string[], body: SyntaxNode): number {
  const { row, column } = body.startPosition;
  return /\S/.test(lines[row]?.slice(0, column) ?? '') ? row : row - 1;
}
