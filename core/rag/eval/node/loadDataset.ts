// Opens a test collection folder of either supported layout: BEIR, or CoSQA (detected by its
// code_idx_map.txt).

import type { RetrievalDataset } from '../common/dataset.js';
import { loadBeir } from './beir.js';
import { isCosqaFolder, loadCosqa } from './cosqa.js';

/**
 * Loads `dir` as CoSQA when it holds code_idx_map.txt, else as BEIR. `qrels` names the BEIR
 * qrels file (or CoSQA queries file) to use instead of the default.
 */
export function loadDataset(dir: string, qrels?: string): RetrievalDataset {
  return isCosqaFolder(dir) ? loadCosqa(dir, qrels) : loadBeir(dir, { qrels });
}
