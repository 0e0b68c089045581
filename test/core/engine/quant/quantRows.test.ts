// The quant reference against ggml itself (bytes, values and dot products from libggml, see
// fixtures/), against blocks decoded by hand, and against stated error bounds:
//   quantize -> dequantize, per element, with amax the largest |x| of the block:
//     f32 exact; f16 |err| <= max(2^-11 |x|, 2^-25) (half a subnormal step below 2^-14);
//     bf16 |err| <= 2^-8 |x|
//     q8_0 |err| <= d/2 + 127 e(d), d = amax/127      (half a step, plus d rounded to f16)
//     q4_0 |err| <= d + 8 e(d), d = amax/8            (one step: the side opposite amax clamps at +7)
//     where e(v) = max(2^-11 |v|, 2^-25) is the f16 rounding error of v (scales of blocks with
//     amax below ~0.008 (q8_0) or ~5e-4 (q4_0) are f16 subnormals and lose relative precision)
//     q8_K |err| <= amax/127 * (1/2 + 2^-20)          (d stays f32)
//   and over normal(0, 1) data, RMSE / RMS: q4_K <= 0.08, q6_K <= 0.02 (measured 0.071, 0.018).
//   vecDot against dequantize-both-then-dot in f64: |diff| <= 1e-6 * sum |w_i a_i| (f32 rounding
//   of block scale products only).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BugIndicatingError } from '../../../../core/base/common/errors.js';
import { scaleAndMin } from '../../../../core/engine/common/quant/q4_K.js';
import {
  activationBytes, dequantizeRow, quantizeActivation, quantizeRow, rowBytes, vecDot, vecDotType,
} from '../../../../core/engine/common/quant/quantRows.js';
import { TENSOR_TYPES, TensorType, WEIGHT_TYPES } from '../../../../core/engine/common/tensorTypes.js';
import { seededRandom } from '../../../support/seededRandom.js';
import { loadGgmlReference } from './ggmlReference.js';

const ALL_TYPES = [...WEIGHT_TYPES, TensorType.Q8_K];
const nameOf = (t: TensorType) => TENSOR_TYPES[t].name;
const TYPE_BY_NAME = Object.fromEntries(ALL_TYPES.map((t) => [nameOf(t), t])) as Record<string, TensorType>;

function quantize(type: TensorType, values: Float32Array): Uint8Array {
  const out = new Uint8Array(rowBytes(type, values.length));
  quantizeRow(type, values, out);
  return out;
}

function dequantize(type: TensorType, bytes: Uint8Array, n: number): Float32Array {
  const out = new Float32Array(n);
  dequantizeRow(type, bytes, out);
  return out;
}

// ---- ggml itself

test('quantizeRow gives ggml\'s bytes and dequantizeRow ggml\'s values, for every quantized type', async () => {
  const ref = await loadGgmlReference();
  for (const name of ['q8_0', 'q4_0', 'q4_K', 'q6_K', 'q8_K']) {
    const type = TYPE_BY_NAME[name];
    const ours = quantize(type, ref.x);
    const theirs = ref.quantized[name];
    const differing = ours.findIndex((b, i) => b !== theirs[i]);
    assert.equal(differing, -1, `${name}: first differing byte at ${differing}`);
    assert.deepEqual(dequantize(type, theirs, ref.x.length), ref.dequantized[name], `${name} dequantized`);
  }
  for (const name of ['f16', 'bf16']) assert.deepEqual(quantize(TYPE_BY_NAME[name], ref.x), ref.quantized[name], name);
});

test('activations are quantized as ggml does, and vecDot agrees with ggml\'s scalar dot products', async () => {
  const ref = await loadGgmlReference();
  for (const name of ['q8_0', 'q4_0', 'q4_K', 'q6_K']) {
    const type = TYPE_BY_NAME[name];
    const activation = new Uint8Array(activationBytes(type, ref.activation.length));
    quantizeActivation(type, ref.activation, activation);
    assert.deepEqual(activation, ref.activations[nameOf(vecDotType(type))], `${name} activation`);
    const dot = vecDot(type, ref.quantized[name], activation, ref.x.length);
    // ggml sums blocks in f32; the reference sums them in f64.
    assert.ok(Math.abs(dot - ref.dot[name]) <= 1e-6 * Math.abs(ref.dot[name]), `${name}: ${dot} vs ggml ${ref.dot[name]}`);
  }
});

// ---- One block of each type, decoded by hand

function f16Bytes(bits: number): number[] {
  return [bits & 0xff, bits >>> 8];
}

test('hand-made blocks decode to the values worked out by hand', () => {
  // q8_0: d = 0.5; weight = d * q.
  const q8_0 = new Uint8Array([...f16Bytes(0x3800), 1, 0xfe, 127, 0x80, 0, ...new Array(27).fill(5)]);
  assert.deepEqual([...dequantize(TensorType.Q8_0, q8_0, 32).subarray(0, 6)], [0.5, -1, 63.5, -64, 0, 2.5]);

  // q4_0: d = 2; byte j holds weight j (low nibble) and j + 16 (high); weight = d * (q - 8).
  const q4_0 = new Uint8Array([...f16Bytes(0x4000), 0x9f, 0x08, ...new Array(14).fill(0x88)]);
  const v4 = dequantize(TensorType.Q4_0, q4_0, 32);
  assert.deepEqual([v4[0], v4[16], v4[1], v4[17], v4[2], v4[31]], [14, 2, 0, -16, 0, 0]);

  // q4_K: d = 1, dmin = 0.5; scales sc = [1, 2, 3, 4, 33, 40, 63, 5], mins m = [0, 1, 2, 3, 17, 20, 63, 0],
  // packed by hand: bytes 0-3 = sc[j] | (sc[j+4] >> 4) << 6, 4-7 = m[j] | (m[j+4] >> 4) << 6,
  // 8-11 = (sc[j+4] & 15) | (m[j+4] & 15) << 4.
  const scales = [0x81, 0x82, 0xc3, 0x04, 0x40, 0x41, 0xc2, 0x03, 0x11, 0x48, 0xff, 0x05];
  const q4_K = new Uint8Array(144);
  q4_K.set([...f16Bytes(0x3c00), ...f16Bytes(0x3800), ...scales]);
  const sc = [1, 2, 3, 4, 33, 40, 63, 5];
  const m = [0, 1, 2, 3, 17, 20, 63, 0];
  for (let j = 0; j < 8; j++) assert.equal(scaleAndMin(q4_K, 4, j), sc[j] | (m[j] << 8), `sub-block ${j}`);
  // Weight e sits in byte 16 + 32 * (e >> 6) + (e & 31), low nibble when (e & 32) == 0.
  q4_K[16 + 0] = 0x7a; // weight 0 = 10 (sub-block 0), weight 32 = 7 (sub-block 1)
  q4_K[16 + 64 + 5] = 0x3f; // weight 133 = 15 (sub-block 4), weight 165 = 3 (sub-block 5)
  q4_K[16 + 96 + 31] = 0xf0; // weight 223 = 0 (sub-block 6), weight 255 = 15 (sub-block 7)
  const vK = dequantize(TensorType.Q4_K, q4_K, 256);
  assert.deepEqual([vK[0], vK[32], vK[133], vK[165], vK[223], vK[255], vK[1], vK[200]], [
    1 * 10 - 0.5 * 0, 2 * 7 - 0.5 * 1, 33 * 15 - 0.5 * 17, 40 * 3 - 0.5 * 20, 63 * 0 - 0.5 * 63, 5 * 15 - 0, 0, -0.5 * 63,
  ]);

  // q6_K: ql[128] | qh[64] | scales int8[16] | d = 0.25. In each half of 128 weights, weight
  // l + 32 * k takes its low 4 bits from ql[l + 32 * (k & 1)] (low nibble for k < 2) and its high 2
  // bits from qh[l] >> 2k; weight = d * sc[e >> 4] * (q - 32).
  const q6_K = new Uint8Array(210);
  const q6Scales = new Int8Array(q6_K.buffer, 192, 16);
  q6Scales.set([2, 1, -3, 1, 4, 1, 1, 1, -128, 1, 1, 1, 1, 1, 1, 127]);
  q6_K.set(f16Bytes(0x3400), 208);
  q6_K[0] = 0x5a; // weight 0 low bits 10, weight 64 low bits 5
  q6_K[32] = 0xc3; // weight 32 low bits 3, weight 96 low bits 12
  q6_K[128] = 0b11_01_00_10; // high bits: weight 0 -> 2, 32 -> 0, 64 -> 1, 96 -> 3
  q6_K[64 + 1] = 0x01; // weight 129 (second half, l = 1) low bits 1, high bits 0
  q6_K[64 + 32 + 31] = 0xf0; // weight 255 low bits 15 (high nibble of ql[127])
  q6_K[128 + 32 + 31] = 0xc0; // weight 255 high bits 3
  const v6 = dequantize(TensorType.Q6_K, q6_K, 256);
  assert.deepEqual([v6[0], v6[32], v6[64], v6[96], v6[129], v6[255], v6[16]], [
    0.25 * 2 * (42 - 32), 0.25 * -3 * (3 - 32), 0.25 * 4 * (21 - 32), 0.25 * 1 * (60 - 32),
    0.25 * -128 * (1 - 32), 0.25 * 127 * (63 - 32), 0.25 * 1 * -32,
  ]);

  // q8_K: d = 0.5 as f32; weight = d * q.
  const q8_K = new Uint8Array(292);
  new DataView(q8_K.buffer).setFloat32(0, 0.5, true);
  q8_K[4] = 0xfd;
  q8_K[4 + 255] = 127;
  const v8K = dequantize(TensorType.Q8_K, q8_K, 256);
  assert.deepEqual([v8K[0], v8K[255], v8K[1]], [-1.5, 63.5, 0]);

  // f32, f16 (0x3c00 = 1, 0xc100 = -2.5), bf16 (0x3f80 = 1, 0xc020 = -2.5).
  assert.deepEqual([...dequantize(TensorType.F32, new Uint8Array(new Float32Array([1, -2.5]).buffer), 2)], [1, -2.5]);
  assert.deepEqual([...dequantize(TensorType.F16, new Uint8Array([0x00, 0x3c, 0x00, 0xc1]), 2)], [1, -2.5]);
  assert.deepEqual([...dequantize(TensorType.BF16, new Uint8Array([0x80, 0x3f, 0x20, 0xc0]), 2)], [1, -2.5]);
});

// ---- Error bounds

/** Largest |x| of the block of `size` holding element i. */
function blockAmax(x: Float32Array, i: number, size: number): number {
  const start = i - (i % size);
  let amax = 0;
  for (let j = start; j < start + size; j++) amax = Math.max(amax, Math.abs(x[j]));
  return amax;
}

/** Largest error of rounding v to f16 (normal range: half an ulp; subnormals: half of 2^-24). */
function f16Error(v: number): number {
  return Math.max(2 ** -11 * Math.abs(v), 2 ** -25);
}

const ELEMENT_BOUNDS: [TensorType, (x: Float32Array, i: number) => number][] = [
  [TensorType.F32, () => 0],
  [TensorType.F16, (x, i) => f16Error(x[i])],
  [TensorType.BF16, (x, i) => 2 ** -8 * Math.abs(x[i])],
  [TensorType.Q8_0, (x, i) => blockAmax(x, i, 32) / 127 / 2 + 127 * f16Error(blockAmax(x, i, 32) / 127)],
  [TensorType.Q4_0, (x, i) => blockAmax(x, i, 32) / 8 + 8 * f16Error(blockAmax(x, i, 32) / 8)],
  [TensorType.Q8_K, (x, i) => (blockAmax(x, i, 256) / 127) * (0.5 + 2 ** -20)],
];

test('quantize -> dequantize stays within the stated per-element bounds', () => {
  const random = seededRandom(11);
  for (const scale of [1, 1e-3, 300]) {
    const x = random.normals(4096, scale);
    for (const [type, bound] of ELEMENT_BOUNDS) {
      const y = dequantize(type, quantize(type, x), x.length);
      for (let i = 0; i < x.length; i++) {
        assert.ok(Math.abs(y[i] - x[i]) <= bound(x, i), `${nameOf(type)} scale ${scale}: x[${i}] = ${x[i]} came back ${y[i]}`);
      }
    }
  }
});

test('k-quants stay within the stated RMSE over normal data, and zero blocks stay zero', () => {
  const random = seededRandom(12);
  const x = random.normals(256 * 64);
  for (const [type, limit] of [[TensorType.Q4_K, 0.08], [TensorType.Q6_K, 0.02]] as const) {
    const y = dequantize(type, quantize(type, x), x.length);
    let squaredError = 0;
    let squares = 0;
    for (let i = 0; i < x.length; i++) {
      squaredError += (y[i] - x[i]) ** 2;
      squares += x[i] ** 2;
    }
    const relative = Math.sqrt(squaredError / squares);
    assert.ok(relative <= limit, `${nameOf(type)} relative RMSE ${relative.toFixed(4)} > ${limit}`);
  }
  for (const type of ALL_TYPES) {
    const zeros = new Float32Array(256);
    assert.ok(dequantize(type, quantize(type, zeros), 256).every((v) => v === 0), `${nameOf(type)} of zeros`);
  }
});

// ---- Dot products

test('vecDot equals dequantize-then-dot within 1e-6 of the summed magnitudes, for every weight type', () => {
  const random = seededRandom(13);
  for (const n of [256, 1024, 4096]) {
    for (const [wScale, aScale] of [[1, 1], [0.02, 30], [1e-3, 1e3]]) {
      const w = random.normals(n, wScale);
      const a = random.normals(n, aScale);
      for (const type of WEIGHT_TYPES) {
        const weights = quantize(type, w);
        const activation = new Uint8Array(activationBytes(type, n));
        quantizeActivation(type, a, activation);
        const wq = dequantize(type, weights, n);
        const aq = dequantize(vecDotType(type), activation, n);
        let expected = 0;
        let magnitude = 0;
        for (let i = 0; i < n; i++) {
          expected += wq[i] * aq[i];
          magnitude += Math.abs(wq[i] * aq[i]);
        }
        const dot = vecDot(type, weights, activation, n);
        assert.ok(Math.abs(dot - expected) <= 1e-6 * magnitude, `${nameOf(type)} n ${n}: ${dot} vs ${expected}`);
      }
    }
  }
});

test('q8_K bsums are the sums of 16 quants; vec_dot types are ggml\'s', () => {
  const x = seededRandom(14).normals(512);
  const block = quantize(TensorType.Q8_K, x);
  const view = new DataView(block.buffer);
  const qs = new Int8Array(block.buffer);
  for (let b = 0; b < 2; b++) {
    for (let j = 0; j < 16; j++) {
      let sum = 0;
      for (let i = 0; i < 16; i++) sum += qs[b * 292 + 4 + 16 * j + i];
      assert.equal(view.getInt16(b * 292 + 260 + 2 * j, true), sum);
    }
  }
  const dotTypes = Object.fromEntries(WEIGHT_TYPES.map((t) => [nameOf(t), nameOf(vecDotType(t))]));
  assert.deepEqual(dotTypes, { f32: 'f32', f16: 'f16', bf16: 'bf16', q8_0: 'q8_0', q4_0: 'q8_0', q4_K: 'q8_K', q6_K: 'q8_K' });
});

test('misuse is a BugIndicatingError: partial blocks, short buffers, q8_K as a weight type', () => {
  assert.throws(() => rowBytes(TensorType.Q4_K, 300), BugIndicatingError);
  assert.throws(() => quantizeRow(TensorType.Q8_0, new Float32Array(64), new Uint8Array(60)), BugIndicatingError);
  assert.throws(() => dequantizeRow(TensorType.Q6_K, new Uint8Array(209), new Float32Array(256)), BugIndicatingError);
  assert.throws(() => vecDot(TensorType.Q8_K, new Uint8Array(292), new Uint8Array(292), 256), BugIndicatingError);
  assert.throws(() => vecDot(TensorType.Q4_0, new Uint8Array(18), new Uint8Array(33), 32), BugIndicatingError);
});
