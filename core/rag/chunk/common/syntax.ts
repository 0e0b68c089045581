// The part of a tree-sitter syntax node the code chunker reads. web-tree-sitter's Node has this
// shape; tests and other parsers can supply it too, so the chunker does not depend on a runtime.

/** A row and column, both 0-based (columns in UTF-16 units, as web-tree-sitter reports them). */
export interface SyntaxPoint {
  readonly row: number;
  readonly column: number;
}

/** A node of a concrete syntax tree. */
export interface SyntaxNode {
  readonly type: string;
  /** False for punctuation and keywords ("{", "}", ";", "end"). */
  readonly isNamed: boolean;
  readonly startPosition: SyntaxPoint;
  readonly endPosition: SyntaxPoint;
  /** Offsets in the parsed string, in UTF-16 units. */
  readonly startIndex: number;
  readonly endIndex: number;
  /** Every child, named or not, comments included, in source order. */
  readonly children: readonly SyntaxNode[];
  readonly namedChildren: readonly SyntaxNode[];
  childForFieldName(name: string): SyntaxNode | null;
}

/** Last row that holds text of the node (a node ending at column 0 ends on the row before). */
export function lastRow(node: SyntaxNode): number {
  const end = node.endPosition;
  return end.column === 0 && end.row > node.startPosition.row ? end.row - 1 : end.row;
}
