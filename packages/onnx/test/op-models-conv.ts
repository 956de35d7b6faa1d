/**
 * Models written with the conv, pooling and batched ops, covering the export paths the layer zoo does
 * not: a computed (not parameter) filter flipped by Gathers, 3 spatial dims with per-dim stride, padding
 * and dilation, the data adjoint as cross-correlation with a stride, padded pools with strides other
 * than the window, and batched products with each transpose flag.
 */
import { batchedMul, conv, convData, maxpool, meanpool, tanh, wrapColMajor } from "@tsflux/graph";
import type { OpModel } from "./op-models";

/** A fixed array of `shape` (it becomes an initializer, or the input of a computed filter). */
const fixed = (shape: number[], seed: number) =>
  wrapColMajor(Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => Math.sin(seed * 7 + i * 1.3)), shape);

export const CONV_OP_MODELS: readonly OpModel[] = [
  { name: "conv with a computed filter (flipped by Gathers)", features: [5, 4, 2], f: (x) => conv(x, tanh(fixed([3, 2, 2, 3], 1)), { pad: 1 }) },
  { name: "3-d conv with per-dim stride, padding and dilation", features: [4, 5, 5, 2], f: (x) => conv(x, fixed([2, 2, 2, 2, 3], 2), { stride: [1, 2, 1], pad: [0, 1, 1, 0, 0, 0], dilation: [1, 1, 2] }) },
  { name: "convData as cross-correlation, stride 2, pad 1", features: [4, 3, 3], f: (x) => convData(x, fixed([3, 3, 2, 3], 3), [7, 6], { stride: 2, pad: 1, flip: false }) },
  { name: "convData of a true convolution with groups", features: [5, 4], f: (x) => convData(x, fixed([2, 1, 4], 4), [6], { groups: 2 }) },
  { name: "maxpool with per-side padding and stride", features: [5, 4, 2], f: (x) => maxpool(x, [3, 2], { stride: [2, 1], pad: [1, 1, 0, 1] }) },
  { name: "meanpool with padding (counted) and stride 1", features: [5, 4, 2], f: (x) => meanpool(x, [2, 3], { stride: 1, pad: [1, 0, 1, 1] }) },
  { name: "batchedMul with each transpose flag", features: [4, 3], f: (x) => batchedMul(x, batchedMul(batchedMul(x, batchedMul(x, x, { transA: true })), x, { transB: true }), { transA: true, transB: true }) },
];
