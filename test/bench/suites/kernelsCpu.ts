// kernels-cpu: is WebAssembly SIMD worth it? For each weight type, a decode-shaped matmul (one
// token, 2048 x 2048 weights) and a prefill-shaped one (64 tokens) on one thread, through the CPU
// backend's kernels and through the plain-TypeScript reference (core/engine/common/quant), which
// computes the same numbers. Reports multiply-adds per second, weight GB/s and the ratio, and the
// same matmuls with the relaxed-SIMD build of the kernels (q8_0/q4_0 differ) against the plain one.

import { MemoryByteSource } from '../../../core/base/common/byteSource.js';
import { activationBytes, quantizeActivation, quantizeRow, rowBytes, vecDot } from '../../../core/engine/common/quant/quantRows.js';
import { TENSOR_TYPES, WEIGHT_TYPES, type TensorType } from '../../../core/engine/common/tensorTypes.js';
import { CpuBackend } from '../../../core/engine/node/cpu/cpuBackend.js';
import { relaxedKernelsAvailable } from '../../../core/engine/node/cpu/wasmKernels.js';
import { seededRandom } from '../../support/seededRandom.js';
import type { SuiteOptions } from '../run.js';
import type { BenchTable } from '../table.js';

const N = 2048, ROWS = 2048;

/** Seconds per call of `fn`, the best of a few timed runs after one warm-up. */
function time(fn: () => void, minSeconds = 0.3): number {
  fn();
  let best = Infinity;
  const start = performance.now();
  do {
    const t0 = performance.now();
    fn();
    best = Math.min(best, (performance.now() - t0) / 1000);
  } while (performance.now() - start < minSeconds * 1000);
  return best;
}

/** Seconds of the decode- and prefill-shaped matmuls of `bytes` on `backend`. */
async function timeMatmuls(backend: CpuBackend, type: TensorType, bytes: Uint8Array, random: ReturnType<typeof seededRandom>): Promise<[number, number]> {
  const weight = await backend.uploadWeight({ name: 'w', type, dims: [N, ROWS], source: new MemoryByteSource('w', bytes), offset: 0, byteLength: bytes.length });
  const decodeIn = backend.createActivation(1, N), decodeOut = backend.createActivation(1, ROWS);
  backend.write(decodeIn, 0, random.normals(N));
  const prefillIn = backend.createActivation(64, N), prefillOut = backend.createActivation(64, ROWS);
  backend.write(prefillIn, 0, random.normals(64 * N));
  return [
    time(() => backend.matmul([{ weight, out: decodeOut }], decodeIn, 1)),
    time(() => backend.matmul([{ weight, out: prefillOut }], prefillIn, 64)),
  ];
}

async function measureType(backend: CpuBackend, relaxed: CpuBackend | undefined, type: TensorType): Promise<(string | number)[]> {
  const random = seededRandom(type);
  const stride = rowBytes(type, N);
  const bytes = new Uint8Array(stride * ROWS);
  const values = random.normals(N);
  for (let r = 0; r < ROWS; r++) quantizeRow(type, values.map((v) => v * (1 + (r % 7) / 7)), bytes.subarray(r * stride, (r + 1) * stride));
  const [wasmDecode, wasmPrefill] = await timeMatmuls(backend, type, bytes, random);
  const [relaxedDecode, relaxedPrefill] = relaxed ? await timeMatmuls(relaxed, type, bytes, random) : [NaN, NaN];
  const act = new Uint8Array(activationBytes(type, N));
  quantizeActivation(type, values, act);
  const jsDecode = time(() => {
    for (let r = 0; r < ROWS; r++) vecDot(type, bytes.subarray(r * stride, (r + 1) * stride), act, N);
  });
  const macs = N * ROWS;
  return [
    TENSOR_TYPES[type].name,
    (bytes.length / wasmDecode) / 1e9,
    macs / wasmDecode / 1e9,
    (64 * macs) / wasmPrefill / 1e9,
    macs / jsDecode / 1e9,
    jsDecode / wasmDecode,
    macs / relaxedDecode / 1e9,
    (64 * macs) / relaxedPrefill / 1e9,
    wasmDecode / relaxedDecode,
    wasmPrefill / relaxedPrefill,
  ];
}

export async function run(_options: SuiteOptions): Promise<BenchTable> {
  const backend = await CpuBackend.create({ threads: 1, kernels: 'plain' });
  const relaxed = relaxedKernelsAvailable() ? await CpuBackend.create({ threads: 1, kernels: 'relaxed' }) : undefined;
  try {
    const rows = [];
    for (const type of WEIGHT_TYPES) rows.push(await measureType(backend, relaxed, type));
    return {
      title: `CPU matmul kernels, one thread, ${N} x ${N} weights`,
      columns: ['type', 'wasm decode GB/s', 'wasm decode GMAC/s', 'wasm prefill (64 tok) GMAC/s', 'TypeScript decode GMAC/s', 'SIMD speed-up (decode)',
        'relaxed decode GMAC/s', 'relaxed prefill GMAC/s', 'relaxed / plain (decode)', 'relaxed / plain (prefill)'],
      rows,
      notes: [
        'Same activation formats and results on both sides (the kernels are tested against the TypeScript reference).',
        'wasm = the plain SIMD128 build; relaxed = the relaxed-SIMD build (only q4_0 and q4_K use relaxed instructions; NaN: relaxed SIMD unavailable).',
      ],
    };
  } finally {
    await backend.dispose();
    await relaxed?.dispose();
  }
}
