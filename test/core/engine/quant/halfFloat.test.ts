// f16 and bf16 conversions: every f16 round-trips, ties go to even, and the special values
// (signed zero, subnormals, the overflow edge, inf, NaN) come out as ggml's conversions give them.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bf16ToF32, bitsToF32, f16ToF32, f32ToBf16, f32ToBits, f32ToF16 } from '../../../../core/engine/common/quant/halfFloat.js';
import { loadGgmlReference } from './ggmlReference.js';

const hex = (h: number) => `0x${h.toString(16).padStart(4, '0')}`;

test('every f16 bit pattern survives f16 -> f32 -> f16 (NaNs stay NaN)', () => {
  for (let h = 0; h < 0x10000; h++) {
    const value = f16ToF32(h);
    const back = f32ToF16(value);
    if (Number.isNaN(value)) {
      assert.ok((h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0, `${hex(h)} decoded to NaN`);
      assert.ok((back & 0x7c00) === 0x7c00 && (back & 0x3ff) !== 0, `${hex(h)} came back as ${hex(back)}`);
    } else {
      assert.equal(back, h, `${hex(h)} -> ${value} -> ${hex(back)}`);
    }
  }
});

test('f32 -> f16 rounds to nearest, ties to even, across subnormals and normals', () => {
  for (let h = 0; h < 0x7bff; h++) {
    const low = f16ToF32(h);
    const high = f16ToF32(h + 1);
    const middle = (low + high) / 2; // exact in f32
    assert.equal(f32ToF16(middle), h % 2 === 0 ? h : h + 1, `tie between ${hex(h)} and ${hex(h + 1)}`);
    assert.equal(f32ToF16(bitsToF32(f32ToBits(middle) - 1)), h, `just below the middle of ${hex(h)}`);
    assert.equal(f32ToF16(bitsToF32(f32ToBits(middle) + 1)), h + 1, `just above the middle of ${hex(h)}`);
    assert.equal(f32ToF16(-middle), 0x8000 | (h % 2 === 0 ? h : h + 1));
  }
});

test('f16 special values', () => {
  const cases: [number, number][] = [
    [0, 0x0000], [-0, 0x8000], [1, 0x3c00], [-2, 0xc000], [0.5, 0x3800],
    [65504, 0x7bff], [65519.99, 0x7bff], [65520, 0x7c00], [1e6, 0x7c00], [-1e6, 0xfc00],
    [Infinity, 0x7c00], [-Infinity, 0xfc00],
    [2 ** -24, 0x0001], [2 ** -25, 0x0000], [2 ** -25 * 1.0001, 0x0001], [3 * 2 ** -25, 0x0002],
    [1023 * 2 ** -24, 0x03ff], [2 ** -14, 0x0400], [2 ** -14 - 2 ** -25, 0x0400], [1e-9, 0x0000], [-1e-9, 0x8000],
    [-1e-40, 0x8000],
  ];
  for (const [value, bits] of cases) assert.equal(hex(f32ToF16(value)), hex(bits), `f32ToF16(${value})`);
  assert.equal(hex(f32ToF16(NaN)), '0x7e00');
  assert.equal(hex(f32ToF16(bitsToF32(0xff800001))), '0xfe00', 'a negative NaN keeps its sign');
  assert.ok(Object.is(f16ToF32(0x8000), -0));
  assert.equal(f16ToF32(0x0001), 2 ** -24);
  assert.equal(f16ToF32(0x03ff), 1023 * 2 ** -24);
  assert.equal(f16ToF32(0x7bff), 65504);
  assert.equal(f16ToF32(0xfc00), -Infinity);
  assert.ok(Number.isNaN(f16ToF32(0x7e00)) && Number.isNaN(f16ToF32(0xfc01)));
});

test('bf16: ties to even, overflow to inf, NaN quieted with its payload kept (ggml_compute_fp32_to_bf16)', () => {
  const cases: [number, number][] = [
    [0x3f800000, 0x3f80], [0x3f808000, 0x3f80], [0x3f818000, 0x3f82], [0x3f808001, 0x3f81], [0x3f807fff, 0x3f80],
    [0x80000000, 0x8000], [0x7f7fffff, 0x7f80], [0xff7fffff, 0xff80], [0x7f800000, 0x7f80], [0x00000001, 0x0000],
    [0x7f800001, 0x7fc0], [0x7fa00000, 0x7fe0], [0xff800001, 0xffc0], [0x7fc00000, 0x7fc0],
  ];
  for (const [bits, expected] of cases) assert.equal(hex(f32ToBf16(bitsToF32(bits))), hex(expected), `f32 bits 0x${bits.toString(16)}`);
  assert.equal(bf16ToF32(0x3f80), 1);
  assert.equal(bf16ToF32(0xc0a0), -5);
  assert.ok(Object.is(bf16ToF32(0x8000), -0));
  assert.ok(Number.isNaN(bf16ToF32(0x7fc1)));
  for (let b = 0; b < 0x10000; b += 7) {
    const value = bf16ToF32(b);
    if (!Number.isNaN(value)) assert.equal(f32ToBf16(value), b);
  }
});

test('f16 and bf16 conversions equal ggml\'s on the reference input and special values', async () => {
  const ref = await loadGgmlReference();
  for (const [values, suffix] of [[ref.x, ''], [ref.specials, '_specials']] as const) {
    const f16 = new Uint16Array(ref.quantized[`f16${suffix}`].slice().buffer);
    const bf16 = new Uint16Array(ref.quantized[`bf16${suffix}`].slice().buffer);
    values.forEach((v, i) => {
      assert.equal(hex(f32ToF16(v)), hex(f16[i]), `f16 of ${v}`);
      assert.equal(hex(f32ToBf16(v)), hex(bf16[i]), `bf16 of ${v}`);
    });
  }
});
