/** The array type at the boundary: an `ndarray` over a typed array, any strides, read by logical index. */
import ndarray from "ndarray";
import type { NdArray as NdArrayOf } from "ndarray";
import { dtypeOfArray, type DType, type TypedArray } from "./dtype";
import { colMajorStrides, numel, shapeStr, type Shape } from "./shape";
import { DTypeError } from "./errors";
import { allocData, allocLongLived } from "./memory";

/** An `ndarray` of one of tsflux's typed arrays (column-major strides for tsflux's own arrays). */
export type NdArray<D extends TypedArray = TypedArray> = NdArrayOf<D>;

/** Duck-typed check, so arrays made by another copy of the `ndarray` package are accepted too. */
export function isNdarray(x: unknown): x is NdArray {
  if (typeof x !== "object" || x === null) return false;
  const a = x as Partial<NdArray>;
  return ArrayBuffer.isView(a.data) && Array.isArray(a.shape) && Array.isArray(a.stride) && typeof a.offset === "number";
}

/** The dtype of an array's storage; `op` names the caller in the error for unsupported storage. */
export function dtypeOf(op: string, a: NdArray): DType {
  const d = dtypeOfArray(a.data);
  if (d === undefined) {
    throw new DTypeError(`${op}: unsupported storage ${a.data?.constructor?.name ?? typeof a.data} of shape ${shapeStr(a.shape)}; use Float32Array, Float64Array, Int32Array or Uint8Array`);
  }
  return d;
}

/** A new column-major array (zeroed). */
export function zerosArray(shape: Shape, dtype: DType): NdArray {
  return ndarray(allocData(dtype, numel(shape, "zeros")), [...shape], colMajorStrides(shape), 0);
}

/** A zeroed column-major array for a parameter, shadow or optimiser state (see memory.ts: allocLongLived). */
export function longLivedZeros(shape: Shape, dtype: DType): NdArray {
  return ndarray(allocLongLived(dtype, numel(shape, "zeros")), [...shape], colMajorStrides(shape), 0);
}

/** Wraps column-major data of the given shape. */
export function wrapColMajor(data: TypedArray, shape: Shape, offset = 0): NdArray {
  return ndarray(data, [...shape], colMajorStrides(shape), offset);
}

/** True when `a` is laid out column-major and contiguous from `a.offset` (size-1 dims may have any stride). */
export function isColMajorContiguous(a: NdArray): boolean {
  let expected = 1;
  for (let i = 0; i < a.shape.length; i++) {
    const d = a.shape[i]!;
    if (d !== 1 && a.stride[i] !== expected) return false;
    expected *= d;
  }
  return true;
}

/**
 * Visits the columns of `a` (any strides) in column-major order: `column(p, k)` gets the storage index
 * of the column's first element and the column-major index k of that element; the column has
 * `a.shape[0]` elements, `a.stride[0]` apart.
 */
function forEachColumn(a: NdArray, column: (p: number, k: number) => void): void {
  const shape = a.shape, stride = a.stride, rank = shape.length;
  const n = numel(shape);
  if (n === 0) return;
  if (rank === 0) return column(a.offset, 0);
  const idx = new Array<number>(rank).fill(0);
  let p = a.offset;
  for (let k = 0; k < n; k += shape[0]!) {
    column(p, k);
    for (let ax = 1; ax < rank; ax++) {
      idx[ax] = idx[ax]! + 1;
      p += stride[ax]!;
      if (idx[ax]! < shape[ax]!) break;
      p -= stride[ax]! * shape[ax]!;
      idx[ax] = 0;
    }
  }
}

/** Copies `a` (any strides) into `dst` starting at `dstOffset`, column-major. */
export function gatherColMajor(a: NdArray, dst: TypedArray, dstOffset: number): void {
  const src = a.data, d0 = a.shape.length === 0 ? 1 : a.shape[0]!, s0 = a.shape.length === 0 ? 0 : a.stride[0]!;
  forEachColumn(a, (p, k) => {
    for (let i = 0; i < d0; i++) dst[dstOffset + k + i] = src[p + i * s0]!;
  });
}

/** Writes column-major `src` (from `srcOffset`) into `a` (any strides), or adds it when `accumulate`. */
export function scatterColMajor(src: TypedArray, srcOffset: number, a: NdArray, accumulate: boolean): void {
  const dst = a.data, d0 = a.shape.length === 0 ? 1 : a.shape[0]!, s0 = a.shape.length === 0 ? 0 : a.stride[0]!;
  forEachColumn(a, (p, k) => {
    if (accumulate) for (let i = 0; i < d0; i++) dst[p + i * s0] = dst[p + i * s0]! + src[srcOffset + k + i]!;
    else for (let i = 0; i < d0; i++) dst[p + i * s0] = src[srcOffset + k + i]!;
  });
}

/** A column-major contiguous copy of `a` (or `a` itself when it already is one and `copy` is false). */
export function toColMajor(a: NdArray, copy = false): NdArray {
  if (!copy && isColMajorContiguous(a)) return a;
  const d = dtypeOf("toColMajor", a);
  const out = zerosArray(a.shape, d);
  gatherColMajor(a, out.data, 0);
  return out;
}

/** All elements in column-major order, as plain numbers (for tests and printing). */
export function toFlatArray(a: NdArray): number[] {
  const c = toColMajor(a);
  return Array.from(c.data.subarray(c.offset, c.offset + numel(c.shape)));
}
