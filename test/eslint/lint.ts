// Shared helper of the lint tests: runs the repository's real eslint.config.js on a snippet
// that claims to live at a given path. The paths do not exist, so the TypeScript project
// service is told to give them a default project (core/tsconfig.json).

import { ESLint, type Linter } from 'eslint';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The snippet file name the tests use under core/ (never a real file). */
export const FIXTURE = 'lintFixture.ts';

const eslint = new ESLint({
  cwd: ROOT,
  overrideConfig: {
    files: ['core/**/*.ts'],
    languageOptions: {
      parserOptions: {
        projectService: {
          allowDefaultProject: [`core/*/${FIXTURE}`, `core/*/*/${FIXTURE}`],
          defaultProject: 'core/tsconfig.json',
        },
      },
    },
  },
});

/** The lint messages of `code` as if it were the file `path` (relative to the root). */
export async function lint(path: string, code: string): Promise<Linter.LintMessage[]> {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}${path}` });
  return result.messages;
}

/** The messages of one rule only. */
export async function lintRule(rule: string, path: string, code: string): Promise<string[]> {
  return (await lint(path, code)).filter((m) => m.ruleId === rule).map((m) => m.message);
}
