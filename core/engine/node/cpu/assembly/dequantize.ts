// Dequantization of one weight row to f32 (embedding lookup, tests). Scalar: it runs once per
// token, not in the matmul hot loop. Layouts as ggml-common.h.

import { f16ToF32, bf16ToF32 } from './half';
import { q4KScaleMin } from './kquants';

function dequantizeQ8_0(src: usize, dst: usize, n: i32): void {
  for (let b = 0; b < n / 32; b++) {
    const p = src + <usize>b * 34;
    const d = f16ToF32(load<u16>(p));
    for (let j = 0; j < 32; j++) store<f32>(dst + (<usize>(b * 32 + j) << 2), d * <f32>load<i8>(p + 2 + j));
  }
}

function dequantizeQ4_0(src: usize, dst: usize, n: i32): void {
  for (let b = 0; b < n / 32; b++) {
    const p = src + <usize>b * 18;
    const d = f16ToF32(load<u16>(p));
    const y = dst + (<usize>(b * 32) << 2);
    for (let j = 0; j < 16; j++) {
      const q = <i32>load<u8>(p + 2 + j);
      store<f32>(y + (<usize>j << 2), d * <f32>((q & 15) - 8));
      store<f32>(y + (<usize>(j + 16) << 2), d * <f32>((q >> 4) - 8));
    }
  }
}

function dequantizeQ4_K(src: usize, dst: usize, n: i32): void {
  for (let b = 0; b < n / 256; b++) {
    const p = src + <usize>b * 144;
    const d = f16ToF32(load<u16>(p)), dmin = f16ToF32(load<u16>(p, 2));
    for (let j = 0; j < 4; j++) {
      const q = p + 16 + (<usize>j << 5);
      const scLow = d * <f32>q4KScaleMin(p + 4, 2 * j, false), mLow = dmin * <f32>q4KScaleMin(p + 4, 2 * j, true);
      const scHigh = d * <f32>q4KScaleMin(p + 4, 2 * j + 1, false), mHigh = dmin * <f32>q4KScaleMin(p + 4, 2 * j + 1, true);
      const y = dst + (<usize>(b * 256 + j * 64) << 2);
      for (let l = 0; l < 32; l++) {
        const v = <i32>load<u8>(q + l);
        store<f32>(y + (<usize>l << 2), scLow * <f32>(v & 15) - mLow);
        store<f32>(y + (<usize>(l + 32) << 2), scHigh * <f32>(v >> 4) - mHigh);
      }
    }
  }
}

function dequantizeQ6_K(src: usize, dst: usize, n: i32): void {
  for (let b = 0; b < n / 256; b++) {
    const p = src + <usize>b * 210;
    const d = f16ToF32(load<u16>(p, 208));
    for (let half = 0; half < 2; half++) {
      const ql = p + (<usize>half << 6), qh = p + 128 + (<usize>half << 5), sc = p + 192 + (<usize>half << 3);
      const y = dst + (<usize>(b * 256 + half * 128) << 2);
      for (let l = 0; l < 32; l++) {
        const is = l >> 4;
        const h = <i32>load<u8>(qh + l), a = <i32>load<u8>(ql + l), c = <i32>load<u8>(ql + 32 + l);
        store<f32>(y + (<usize>l << 2), d * <f32>load<i8>(sc + is) * <f32>(((a & 15) | ((h & 3) << 4)) - 32));
        store<f32>(y + (<usize>(l + 32) << 2), d * <f32>load<i8>(sc + is + 2) * <f32>(((c & 15) | (((h >> 2) & 3) << 4)) - 32));
        store<f32>(y + (<usize>(l + 64) << 2), d * <f32>load<i8>(sc + is + 4) * <f32>(((a >> 4) | (((h >> 4) & 3) << 4)) - 32));
        store<f32>(y + (<usize>(l + 96) << 2), d * <f32>load<i8>(sc + is + 6) * <f32>(((c >> 4) | (((h >> 6) & 3) << 4)) - 32));
      }
    }
  }
}

/** Dequantizes `n` weights of ggml type `type` at `src` into f32 at `dst`. */
export function dequantizeRow(type: i32, src: usize, dst: usize, n: i32): void {
  switch (type) {
    case 0: memory.copy(dst, src, <usize>n << 2); break;
    case 1: for (let i = 0; i < n; i++) store<f32>(dst + (<usize>i << 2), f16ToF32(load<u16>(src + (<usize>i << 1)))); break;
    case 30: for (let i = 0; i < n; i++) store<f32>(dst + (<usize>i << 2), bf16ToF32(load<u16>(src + (<usize>i << 1)))); break;
    case 8: dequantizeQ8_0(src, dst, n); break;
    case 2: dequantizeQ4_0(src, dst, n); break;
    case 12: dequantizeQ4_K(src, dst, n); break;
    case 14: dequantizeQ6_K(src, dst, n); break;
    default: unreachable();
  }
}
