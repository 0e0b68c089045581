// ESLint flat config of the whole repository (`npm run lint`): typescript-eslint's recommended
// rules for *.ts, the layer rule of eslint/layers.js (table in eslint/layerTable.js), no
// floating promises in core (type-aware, through the TypeScript project service), portable
// globals in common/ folders, and the size budgets of STYLE.md.

import { defineConfig, globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';
import { NON_PORTABLE_GLOBALS } from './eslint/layerTable.js';
import { layersRule } from './eslint/layers.js';

/** Budgets from STYLE.md "Names, comments, size". */
const BUDGETS = {
  complexity: ['error', 36],
  'max-depth': ['error', 6],
};

const UNUSED = { args: 'after-used', argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' };

export default defineConfig([
  globalIgnores([
    '**/dist/',
    '**/node_modules/',
    '.cache/',
    'test/peer/node_modules/',
    // AssemblyScript, not TypeScript: compiled by scripts/build.mjs, checked by asc.
    'core/**/assembly/',
  ]),
  {
    name: 'pinpoint/all',
    files: ['**/*.{js,mjs,ts}'],
    plugins: { local: { rules: { layers: layersRule } } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      ...BUDGETS,
      'local/layers': 'error',
    },
  },
  {
    name: 'pinpoint/js',
    files: ['**/*.{js,mjs}'],
    rules: { 'max-params': ['error', 8], 'no-unused-vars': ['error', UNUSED] },
  },
  {
    name: 'pinpoint/ts',
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/max-params': ['error', { max: 8 }],
      '@typescript-eslint/no-unused-vars': ['error', UNUSED],
    },
  },
  {
    // Type-aware rules need a tsconfig: core/ and test/ have one each.
    name: 'pinpoint/core-type-checked',
    files: ['core/**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: { '@typescript-eslint/no-floating-promises': 'error' },
  },
  {
    name: 'pinpoint/common-globals',
    files: ['**/common/**/*.ts'],
    ignores: ['test/**'],
    rules: { 'no-restricted-globals': ['error', ...NON_PORTABLE_GLOBALS] },
  },
]);
