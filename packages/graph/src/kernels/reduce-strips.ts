/**
 * Float32 sums that keep a contiguous run of middle dims and reduce the dims on both sides of it, as a
 * bias gradient does (a conv's `[spatial..., C, N]` summed over all but C). The array is viewed as
 * [A, B, C] (A and C reduced, B kept) and summed in two streaming passes on the Wasm SIMD middle-axis
 * sum: first over C into a scratch [A, B] (four rows at a time), then over A. The generic slot-map
 * loop would look up an output slot per element instead.
 */
import type { Shape } from "../shape";
import type { Slot } from "../ops/types";
import { allocLongLived, heapOffset } from "../memory";
import { wasmSumMiddleF32 } from "./wasm";

/** [A, B, C] when the non-unit dims are reduced, then kept, then reduced (all three non-empty); else undefined. */
export function stripsLayout(shape: Shape, axes: readonly number[]): { a: number; b: number; c: number } | undefined {
  const dims = shape.map((d, i) => ({ d, r: axes.includes(i) })).filter((x) => x.d !== 1);
  const firstKept = dims.findIndex((x) => !x.r);
  if (firstKept <= 0) return undefined;
  let lastKept = firstKept;
  while (lastKept + 1 < dims.length && !dims[lastKept + 1]!.r) lastKept++;
  if (lastKept === dims.length - 1 || dims.slice(lastKept + 1).some((x) => !x.r)) return undefined;
  const prod = (lo: number, hi: number) => dims.slice(lo, hi).reduce((p, x) => p * x.d, 1);
  return { a: prod(0, firstKept), b: prod(firstKept, lastKept + 1), c: prod(lastKept + 1, dims.length) };
}

/** Largest scratch [A, B] (elements) the two-pass sum takes; larger sums use the generic loops. */
const MAX_PARTIAL = 1 << 20;

/**
 * y[b] = Σ_{a,c} x[a, b, c] for Float32 `x` of `shape` reduced over `axes`, when the layout is
 * [A, B, C] (see stripsLayout) with A·B at most MAX_PARTIAL: returns the kernel, which runs `fallback`
 * when an array is outside the heap; undefined otherwise.
 */
export function stripsSumKernel(shape: Shape, axes: readonly number[], fallback: (out: Slot, x: Slot) => void): ((out: Slot, x: Slot) => void) | undefined {
  const layout = stripsLayout(shape, axes);
  if (!layout || layout.a * layout.b > MAX_PARTIAL) return undefined;
  const { a, b, c } = layout;
  const partial = allocLongLived("f32", a * b);
  return (out, x) => {
    const px = heapOffset(x.data, x.offset), py = heapOffset(out.data, out.offset), pt = heapOffset(partial, 0);
    if (px < 0 || py < 0 || pt < 0) return fallback(out, x);
    // partial[a, b] = Σ_c x[a, b, c], then y[b] = Σ_a partial[a, b]
    wasmSumMiddleF32(px, pt, a * b, c, 1);
    wasmSumMiddleF32(pt, py, 1, a, b);
  };
}
