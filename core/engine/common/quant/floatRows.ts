// Rows of the unquantized types f32, f16 and bf16: conversion to and from f32, and the dot product
// ggml computes for them (ggml_vec_dot_f32/f16/bf16: each product in f32, summed in f64). For f16
// and bf16 weights llama.cpp first rounds the activations to the same 16-bit format.

import { bf16ToF32, f16ToF32, f32ToBf16, f32ToF16 } from './halfFloat.js';
import { f32 } from './rounding.js';

function viewOf(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Writes `src` as little-endian f32. */
export function quantizeRowF32(src: Float32Array, out: Uint8Array): void {
  const view = viewOf(out);
  for (let i = 0; i < src.length; i++) view.setFloat32(4 * i, src[i], true);
}

/** Reads `out.length` little-endian f32 values. */
export function dequantizeRowF32(src: Uint8Array, out: Float32Array): void {
  const view = viewOf(src);
  for (let i = 0; i < out.length; i++) out[i] = view.getFloat32(4 * i, true);
}

/** Writes `src` as f16, round to nearest even. */
export function quantizeRowF16(src: Float32Array, out: Uint8Array): void {
  for (let i = 0; i < src.length; i++) {
    const h = f32ToF16(src[i]);
    out[2 * i] = h & 0xff;
    out[2 * i + 1] = h >>> 8;
  }
}

/** Reads `out.length` f16 values. */
export function dequantizeRowF16(src: Uint8Array, out: Float32Array): void {
  for (let i = 0; i < out.length; i++) out[i] = f16ToF32(src[2 * i] | (src[2 * i + 1] << 8));
}

/** Writes `src` as bf16 (ggml_compute_fp32_to_bf16). */
export function quantizeRowBf16(src: Float32Array, out: Uint8Array): void {
  for (let i = 0; i < src.length; i++) {
    const b = f32ToBf16(src[i]);
    out[2 * i] = b & 0xff;
    out[2 * i + 1] = b >>> 8;
  }
}

/** Reads `out.length` bf16 values. */
export function dequantizeRowBf16(src: Uint8Array, out: Float32Array): void {
  for (let i = 0; i < out.length; i++) out[i] = bf16ToF32(src[2 * i] | (src[2 * i + 1] << 8));
}

/** f32 x f32: sum in f64 of the f32 products (ggml_vec_dot_f32). */
export function vecDotF32(weights: Uint8Array, activation: Uint8Array, n: number): number {
  const w = viewOf(weights);
  const a = viewOf(activation);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += f32(w.getFloat32(4 * i, true) * a.getFloat32(4 * i, true));
  return sum;
}

/** f16 x f16: sum in f64 of the (exact) f32 products (ggml_vec_dot_f16). */
export function vecDotF16(weights: Uint8Array, activation: Uint8Array, n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += f16ToF32(weights[2 * i] | (weights[2 * i + 1] << 8)) * f16ToF32(activation[2 * i] | (activation[2 * i + 1] << 8));
  }
  return sum;
}

/** bf16 x bf16: sum in f64 of the (exact) f32 products (ggml_vec_dot_bf16). */
export function vecDotBf16(weights: Uint8Array, activation: Uint8Array, n: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += bf16ToF32(weights[2 * i] | (weights[2 * i + 1] << 8)) * bf16ToF32(activation[2 * i] | (activation[2 * i + 1] << 8));
  }
  return sum;
}
