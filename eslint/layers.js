// Lint rule `local/layers`: every import must follow the table in eslint/layerTable.js — layers
// import only downward, shells only through core/service's entry, runtime folders (common/,
// browser/, node/, ...) only the runtimes they may use, and core never vscode or electron.
// Each message lists what is allowed and names the replacement. (VS Code's code-layering rule.)

import { builtinModules } from 'node:module';
import { dirname, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as table from './layerTable.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BUILTINS = new Set(builtinModules);
const ENTRIES = table.SHELL_ENTRY.map(withoutExtension);

function withoutExtension(path) {
  return path.replace(/\.(d\.ts|ts|tsx|js|mjs|cjs)$/, '').replace(/\/index$/, '');
}

/** The longest layer prefix of a repository path, if any. */
function layerOf(path) {
  const layers = Object.keys(table.LAYERS).filter((l) => path === l || path.startsWith(`${l}/`));
  return layers.sort((a, b) => b.length - a.length)[0];
}

/** The first runtime folder (common, browser, node, ...) on a repository path, if any. */
function runtimeOf(path) {
  return path.split('/').find((segment) => Object.hasOwn(table.RUNTIMES, segment));
}

/** The repository path an import points to (`./x.js`, `@pinpoint/core/x`), or undefined for packages. */
function targetOf(specifier, file) {
  if (specifier.startsWith('@pinpoint/')) return specifier.slice('@pinpoint/'.length);
  if (!specifier.startsWith('.')) return undefined;
  return relative(ROOT, resolve(dirname(file), specifier)).split(sep).join('/');
}

/** The problem with importing `specifier` from repository path `from`, or undefined. */
function check(from, specifier, file) {
  const layer = layerOf(from);
  const runtime = runtimeOf(from);
  const bare = specifier.replace(/^node:/, '').split('/')[0];
  if (table.NO_NODE_BUILTINS.includes(runtime) && (specifier.startsWith('node:') || BUILTINS.has(bare))) {
    return `${runtime}/ may not import the Node builtin "${specifier}"; ${runtime}/ may import: ${table.RUNTIMES[runtime].join('/, ')}/ and portable packages. Instead: ${table.NODE_BUILTIN_REPLACEMENT}.`;
  }
  const banned = table.BANNED_MODULES.find((b) => from.startsWith(b.under) && b.module.test(specifier));
  if (banned) return `${banned.under} may not import "${specifier}". Instead: ${banned.instead}.`;
  const target = targetOf(specifier, file);
  if (target === undefined) return undefined;
  const targetLayer = layerOf(target);
  const allowed = table.LAYERS[layer] ?? [];
  const shellDoor = table.SHELLS.includes(layer) && (target === 'core' || target.startsWith('core/'));
  if (shellDoor && !ENTRIES.includes(withoutExtension(target))) {
    return `${layer} may not import ${target}; ${layer} may import: ${table.SHELL_ENTRY.join(', ')}${allowed.filter((l) => !l.startsWith('core/')).map((l) => `, ${l}`).join('')}. Instead: ${table.LAYER_REPLACEMENTS.shell}.`;
  }
  if (layer && targetLayer && targetLayer !== layer && !allowed.includes(targetLayer)) {
    const instead = table.LAYER_REPLACEMENTS[`${layer} -> ${targetLayer}`] ?? `move the shared code down to one of: ${allowed.join(', ') || 'none'}`;
    return `${layer} may not import ${targetLayer} (${target}); ${layer} may import: ${allowed.join(', ') || 'nothing outside itself'}. Instead: ${instead}.`;
  }
  const targetRuntime = runtimeOf(target);
  if (runtime && targetRuntime && !table.RUNTIMES[runtime].includes(targetRuntime)) {
    return `${runtime}/ may not import ${targetRuntime}/ code (${target}); ${runtime}/ may import: ${table.RUNTIMES[runtime].join('/, ')}/. Instead: declare an interface in common/ and pass the ${targetRuntime}/ implementation in from the caller.`;
  }
  return undefined;
}

/** @type {import('eslint').Rule.RuleModule} */
export const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports follow the layer and runtime table of eslint/layerTable.js' },
    schema: [],
  },
  create(context) {
    const from = relative(ROOT, context.filename).split(sep).join('/');
    if (!layerOf(from) && !from.startsWith('core/')) return {};
    const visit = (node, source) => {
      if (typeof source?.value !== 'string') return;
      const message = check(from, source.value, context.filename);
      if (message) context.report({ node, message });
    };
    return {
      ImportDeclaration: (node) => visit(node, node.source),
      ExportAllDeclaration: (node) => visit(node, node.source),
      ExportNamedDeclaration: (node) => visit(node, node.source),
      ImportExpression: (node) => visit(node, node.source),
      TSImportType: (node) => visit(node, node.argument?.literal ?? node.argument),
      TSExternalModuleReference: (node) => visit(node, node.expression),
    };
  },
};
