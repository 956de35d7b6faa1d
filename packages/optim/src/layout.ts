/**
 * Element order shared by a parameter and its optimiser state. Rules run flat loops over typed arrays, so a
 * Leaf's state arrays store element k where the parameter stores it: a parameter laid out densely (any
 * permutation of positive strides) keeps its own order, anything else uses column-major order, and arrays
 * in another order are copied through a scratch buffer (`stridedCopy`).
 */
import ndarray from "ndarray";
import { colMajorStrides, isFloatArray, longLivedZeros, type FloatArray, type FloatDType, type NdArray } from "@tsflux/graph";

/** The element type of a float ndarray. */
export function floatKind(x: NdArray): FloatDType {
  return x.data instanceof Float32Array ? "f32" : "f64";
}

/** True when the strides cover exactly `numel(shape)` consecutive elements (some order, all positive). */
function isDense(shape: readonly number[], stride: readonly number[]): boolean {
  const dims = shape.map((d, i) => [d, stride[i]!] as const).filter(([d]) => d > 1);
  dims.sort((a, b) => a[1] - b[1]);
  let expected = 1;
  for (const [d, s] of dims) {
    if (s !== expected) return false;
    expected *= d;
  }
  return true;
}

/** The strides that define a parameter's kernel order: its own when dense, else column-major. */
export function kernelStrides(x: NdArray): number[] {
  return isDense(x.shape, x.stride) ? [...x.stride] : colMajorStrides(x.shape);
}

/** True when an array with `stride` stores element k of kernel order at `offset + k`. */
export function inKernelOrder(shape: readonly number[], stride: readonly number[], order: readonly number[]): boolean {
  for (let i = 0; i < shape.length; i++) if (shape[i]! > 1 && stride[i] !== order[i]) return false;
  return true;
}

/**
 * A state array for parameter `x`: same shape and element type, stored in x's kernel order, filled with
 * `fill` (rounded to Float32 for Float32 parameters, as Optimisers.jl's `onevalue` converts it).
 */
export function stateLike(x: NdArray, fill = 0): NdArray<FloatArray> {
  if (!isFloatArray(x)) throw new TypeError("stateLike: expected a Float32 or Float64 ndarray");
  const data = longLivedZeros(x.shape, floatKind(x)).data as FloatArray;
  if (fill !== 0) data.fill(fill);
  return ndarray(data, [...x.shape], kernelStrides(x), 0);
}

/**
 * A scratch buffer of `n` elements in the parameter's element type (so intermediate steps of a chain are
 * rounded as Julia's Float32 arithmetic rounds them), counted by the graph package's allocation counter.
 */
export function scratchBuffer(n: number, f32: boolean): FloatArray {
  return longLivedZeros([Math.max(n, 1)], f32 ? "f32" : "f64").data as FloatArray;
}
