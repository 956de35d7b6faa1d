/**
 * Whether an array holds only finite numbers (no NaN, no ±Inf), as a guard before an optimiser step.
 * A contiguous Float32 array in the WebAssembly heap is checked by a SIMD kernel (one pass, four lanes a
 * step); anything else by a JS loop that adds x - x, which stays 0 exactly when every x is finite.
 */
import { wasmAllFiniteF32 } from "./wasm";
import { heapOffset } from "../memory";
import { isColMajorContiguous, type NdArray } from "../ndarray-util";
import { numel } from "../shape";
import type { TypedArray } from "../dtype";

function finiteLoop(data: TypedArray, from: number, n: number): boolean {
  let acc = 0;
  for (let i = from; i < from + n; i++) {
    const x = data[i]!;
    acc += x - x;
  }
  return acc === 0;
}

/** True when every element of `a` is finite. */
export function allFinite(a: NdArray): boolean {
  const n = numel(a.shape);
  if (!isColMajorContiguous(a)) {
    for (let i = 0; i < n; i++) if (!Number.isFinite(a.get(...unravel(a.shape, i)))) return false;
    return true;
  }
  const at = a.data instanceof Float32Array ? heapOffset(a.data, a.offset) : -1;
  return at >= 0 ? wasmAllFiniteF32(at, n) : finiteLoop(a.data as TypedArray, a.offset, n);
}

/** The column-major multi-index of linear index i. */
function unravel(shape: readonly number[], i: number): number[] {
  return shape.map((d) => {
    const k = i % d;
    i = (i - k) / d;
    return k;
  });
}
