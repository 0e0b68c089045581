// Synthetic model files for benchmarks: written once into test/fixtures/generated/ (gitignored)
// from their preset, and reused while the file is there (the writer is deterministic).

import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SYNTHETIC_PRESETS } from '../fixtures/synthetic/presets.js';
import { writeSyntheticModel } from '../fixtures/synthetic/syntheticModel.js';

/** Path of the preset's GGUF file, writing it first if it is missing. */
export async function syntheticModelFile(root: string, preset: string): Promise<string> {
  const spec = SYNTHETIC_PRESETS[preset];
  if (!spec) throw new Error(`unknown synthetic preset ${preset}`);
  const dir = join(root, 'test', 'fixtures', 'generated');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${preset}.gguf`);
  if (!existsSync(path)) {
    console.error(`writing ${path}`);
    await writeSyntheticModel(path, spec);
  }
  return path;
}
