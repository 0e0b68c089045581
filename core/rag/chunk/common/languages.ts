// Which syntax nodes are chunk units, per language: functions, classes, methods and their kin
// (units), nodes that wrap one unit and belong to it (export, decorators, templates), and nodes
// that attach to the unit after them (comments, attributes). Node type names are those of the
// grammars in the tree-sitter-wasms package.

import type { SyntaxNode } from './syntax.js';

/** How the code chunker reads one language's syntax tree. */
export interface CodeLanguage {
  /** Canonical language id ("typescript", "cpp", "csharp"). */
  readonly id: string;
  /** Grammar file stem: tree-sitter-<grammar>.wasm. */
  readonly grammar: string;
  /** Node types of units. */
  readonly units: ReadonlySet<string>;
  /** Node types that wrap a unit (the unit is found among their named children). */
  readonly wrappers: ReadonlySet<string>;
  /** Node types that attach to the unit right after them (comments, attributes, decorators). */
  readonly leading: ReadonlySet<string>;
  /** For unit types that are units only sometimes (`const f = () => {}`, `struct s` with a body). */
  readonly isUnit?: (node: SyntaxNode) => boolean;
}

const COMMENTS = ['comment', 'line_comment', 'block_comment'];

/** Values that make a JS/TS variable, field, property or assignment a unit. */
const FUNCTION_VALUES = new Set([
  'arrow_function', 'function', 'function_expression', 'generator_function', 'class', 'class_expression',
]);

/** JS/TS: declarations always; variables, fields, pairs and assignments when they hold a function. */
function isScriptUnit(node: SyntaxNode): boolean {
  switch (node.type) {
    case 'lexical_declaration':
    case 'variable_declaration': {
      const declarators = node.namedChildren.filter((c) => c.type === 'variable_declarator');
      const value = declarators.length === 1 ? declarators[0].childForFieldName('value') : null;
      return value !== null && FUNCTION_VALUES.has(value.type);
    }
    case 'expression_statement': {
      const assignment = node.namedChildren[0];
      const right = assignment?.type === 'assignment_expression' ? assignment.childForFieldName('right') : null;
      return right !== null && FUNCTION_VALUES.has(right.type);
    }
    case 'public_field_definition':
    case 'field_definition':
    case 'pair': {
      const value = node.childForFieldName('value');
      return value !== null && FUNCTION_VALUES.has(value.type);
    }
    default:
      return true;
  }
}

/** C/C++: struct, union, enum and class specifiers are units only with a body. */
function isSpecifierUnit(node: SyntaxNode): boolean {
  return !node.type.endsWith('_specifier') || node.childForFieldName('body') !== null;
}

const SCRIPT_UNITS = [
  'function_declaration', 'generator_function_declaration', 'class_declaration', 'method_definition',
  'lexical_declaration', 'variable_declaration', 'expression_statement', 'field_definition', 'pair',
];
const TS_UNITS = [
  ...SCRIPT_UNITS, 'abstract_class_declaration', 'interface_declaration', 'enum_declaration',
  'type_alias_declaration', 'internal_module', 'module', 'function_signature', 'public_field_definition',
  'abstract_method_signature', 'method_signature',
];
const C_UNITS = ['function_definition', 'struct_specifier', 'union_specifier', 'enum_specifier'];

function language(
  id: string,
  grammar: string,
  units: readonly string[],
  wrappers: readonly string[],
  leading: readonly string[],
  isUnit?: (node: SyntaxNode) => boolean,
): CodeLanguage {
  return { id, grammar, units: new Set(units), wrappers: new Set(wrappers), leading: new Set([...COMMENTS, ...leading]), isUnit };
}

const TYPESCRIPT_WRAPPERS = ['export_statement', 'ambient_declaration'];

/** Languages with a grammar, by canonical id. */
export const CODE_LANGUAGES: Readonly<Record<string, CodeLanguage>> = {
  typescript: language('typescript', 'typescript', TS_UNITS, TYPESCRIPT_WRAPPERS, ['decorator'], isScriptUnit),
  tsx: language('tsx', 'tsx', TS_UNITS, TYPESCRIPT_WRAPPERS, ['decorator'], isScriptUnit),
  javascript: language('javascript', 'javascript', SCRIPT_UNITS, ['export_statement'], ['decorator'], isScriptUnit),
  python: language('python', 'python', ['function_definition', 'class_definition'], ['decorated_definition'], []),
  go: language('go', 'go', ['function_declaration', 'method_declaration', 'type_declaration'], [], []),
  rust: language(
    'rust', 'rust',
    ['function_item', 'impl_item', 'trait_item', 'struct_item', 'enum_item', 'union_item', 'mod_item', 'macro_definition', 'function_signature_item'],
    [], ['attribute_item'],
  ),
  java: language(
    'java', 'java',
    ['class_declaration', 'interface_declaration', 'enum_declaration', 'record_declaration', 'annotation_type_declaration',
      'method_declaration', 'constructor_declaration', 'compact_constructor_declaration'],
    [], [],
  ),
  c: language('c', 'c', C_UNITS, ['type_definition', 'declaration'], [], isSpecifierUnit),
  cpp: language(
    'cpp', 'cpp',
    [...C_UNITS, 'class_specifier', 'namespace_definition'],
    ['template_declaration', 'type_definition', 'declaration', 'field_declaration'], [], isSpecifierUnit,
  ),
  csharp: language(
    'csharp', 'c_sharp',
    ['class_declaration', 'struct_declaration', 'interface_declaration', 'enum_declaration', 'record_declaration',
      'namespace_declaration', 'method_declaration', 'constructor_declaration', 'destructor_declaration',
      'operator_declaration', 'conversion_operator_declaration', 'property_declaration', 'indexer_declaration',
      'local_function_statement'],
    [], [],
  ),
  ruby: language('ruby', 'ruby', ['module', 'class', 'singleton_class', 'method', 'singleton_method'], [], []),
  php: language(
    'php', 'php',
    ['class_declaration', 'interface_declaration', 'trait_declaration', 'enum_declaration', 'method_declaration',
      'function_definition', 'namespace_definition'],
    [], [],
  ),
  kotlin: language(
    'kotlin', 'kotlin', ['class_declaration', 'object_declaration', 'companion_object', 'function_declaration'], [],
    ['multiline_comment'],
  ),
  swift: language(
    'swift', 'swift',
    ['class_declaration', 'protocol_declaration', 'function_declaration', 'protocol_function_declaration', 'init_declaration'],
    [], ['multiline_comment'],
  ),
  scala: language(
    'scala', 'scala', ['class_definition', 'object_definition', 'trait_definition', 'function_definition', 'function_declaration'],
    [], [],
  ),
  bash: language('bash', 'bash', ['function_definition'], [], []),
};

/** Other names of the languages above, as parsers and editors spell them. */
const ALIASES: Readonly<Record<string, string>> = {
  ts: 'typescript', typescriptreact: 'tsx', js: 'javascript', jsx: 'javascript', javascriptreact: 'javascript',
  py: 'python', golang: 'go', rs: 'rust', 'c++': 'cpp', cc: 'cpp', cxx: 'cpp', hpp: 'cpp', 'c#': 'csharp',
  cs: 'csharp', c_sharp: 'csharp', rb: 'ruby', kt: 'kotlin', sh: 'bash', shell: 'bash', shellscript: 'bash',
};

/** Canonical language ids by file extension, for documents that name no language. */
const EXTENSIONS: Readonly<Record<string, string>> = {
  ts: 'typescript', mts: 'typescript', cts: 'typescript', tsx: 'tsx', js: 'javascript', mjs: 'javascript',
  cjs: 'javascript', jsx: 'javascript', py: 'python', pyi: 'python', go: 'go', rs: 'rust', java: 'java',
  c: 'c', h: 'c', cc: 'cpp', cpp: 'cpp', cxx: 'cpp', hh: 'cpp', hpp: 'cpp', hxx: 'cpp', cs: 'csharp',
  rb: 'ruby', php: 'php', kt: 'kotlin', kts: 'kotlin', swift: 'swift', scala: 'scala', sc: 'scala', sh: 'bash',
  bash: 'bash',
};

/**
 * The language to parse a file with: its stated language (or an alias) when it has a grammar,
 * else the one of its extension; undefined when neither has a grammar. A
 * ".tsx" file stated as "typescript" gets the TSX grammar (the TypeScript one rejects JSX).
 */
export function resolveCodeLanguage(language: string | undefined, path: string): CodeLanguage | undefined {
  const extension = /\.([^./]+)$/.exec(path)?.[1]?.toLowerCase() ?? '';
  const stated = language?.toLowerCase() ?? '';
  let id = CODE_LANGUAGES[ALIASES[stated] ?? stated] ? (ALIASES[stated] ?? stated) : EXTENSIONS[extension];
  if (id === 'typescript' && extension === 'tsx') id = 'tsx';
  return id === undefined ? undefined : CODE_LANGUAGES[id];
}
