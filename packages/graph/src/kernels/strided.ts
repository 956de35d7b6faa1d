/**
 * Copies between strided views: the kernel behind broadcastTo, permutedims, slice, unslice and concat, and
 * `stridedCopy` for code outside plans.
 */
import type { TypedArray } from "../dtype";
import type { Shape } from "../shape";
import { perDtype } from "./monomorphic";
import { mergeStridedDims } from "./strided-merge";
import { BYTES, type DType } from "../dtype";
import { heapOffset } from "../memory";
import { wasmCopyRuns } from "./wasm/heap-copy";

type Copy = (src: TypedArray, so: number, ss: Int32Array, dst: TypedArray, dO: number, ds: Int32Array, shape: Int32Array, idx: Int32Array) => void;

/** dst[Σ k·ds] = src[Σ k·ss] for every multi-index k of `shape`; the first dim is the inner loop. */
const copy = perDtype<Copy>(function stridedCopy(src, so, ss, dst, dO, ds, shape, idx) {
  const rank = shape.length;
  let n = 1;
  for (let a = 0; a < rank; a++) n *= shape[a]!;
  if (n === 0) return;
  if (rank === 0) { dst[dO] = src[so]!; return; }
  idx.fill(0);
  const d0 = shape[0]!, s0 = ss[0]!, t0 = ds[0]!;
  let ps = so, pd = dO;
  for (let done = 0; done < n; done += d0) {
    if (s0 === 0 && t0 === 1) dst.fill(src[ps]!, pd, pd + d0);
    else for (let i = 0; i < d0; i++) dst[pd + i * t0] = src[ps + i * s0]!;
    for (let a = 1; a < rank; a++) {
      idx[a]!++;
      ps += ss[a]!;
      pd += ds[a]!;
      if (idx[a]! < shape[a]!) break;
      ps -= ss[a]! * shape[a]!;
      pd -= ds[a]! * shape[a]!;
      idx[a] = 0;
    }
  }
});

/** A prepared strided copy over `shape` with the given source and destination strides (in elements). */
export function stridedCopier(dtype: string, shape: Shape, srcStrides: readonly number[], dstStrides: readonly number[]) {
  const f = copy(dtype), m = mergeStridedDims(shape, srcStrides, dstStrides);
  const sh = Int32Array.from(m.shape), ss = Int32Array.from(m.src), ds = Int32Array.from(m.dst), idx = new Int32Array(m.shape.length);
  const js = (src: TypedArray, so: number, dst: TypedArray, dO: number): void => f(src, so, ss, dst, dO, ds, sh, idx);
  // runs contiguous on both sides (at most one outer dim): one memory.copy a run when both are in the heap
  const run = m.shape[0]!, runs = m.shape[1] ?? 1;
  if (m.shape.length > 2 || m.src[0] !== 1 || m.dst[0] !== 1 || run < MIN_RUN) return js;
  const bytes = BYTES[dtype as DType], srcStep = (m.src[1] ?? 0) * bytes, dstStep = (m.dst[1] ?? 0) * bytes;
  return (src: TypedArray, so: number, dst: TypedArray, dO: number): void => {
    const from = heapOffset(src, so), to = heapOffset(dst, dO);
    if (from < 0 || to < 0 || !wasmCopyRuns(from, to, run * bytes, runs, srcStep, dstStep)) js(src, so, dst, dO);
  };
}

/** Elements a contiguous run needs before a Wasm block copy beats the JS loop. */
const MIN_RUN = 16;

const MAX_RANK = 64;
const counter = new Int32Array(MAX_RANK);

/**
 * Copies (or adds, with `accumulate`) every element of a strided source into a strided destination of the
 * same shape: dst[idx] (+)= src[idx], offsets and strides in elements. Allocates nothing, so it serves hot
 * loops outside plans (the optimiser's gathers of parameters and gradients in another element order).
 */
export function stridedCopy(
  shape: readonly number[],
  src: TypedArray, srcOffset: number, srcStride: readonly number[],
  dst: TypedArray, dstOffset: number, dstStride: readonly number[],
  accumulate: boolean,
): void {
  const rank = shape.length;
  if (rank > MAX_RANK) throw new RangeError(`stridedCopy: rank ${rank} exceeds ${MAX_RANK}`);
  if (shape.includes(0)) return;
  if (rank === 0) {
    dst[dstOffset] = accumulate ? dst[dstOffset]! + src[srcOffset]! : src[srcOffset]!;
    return;
  }
  counter.fill(0, 0, rank);
  const d0 = shape[0]!, s0 = srcStride[0]!, t0 = dstStride[0]!;
  let ps = srcOffset, pd = dstOffset;
  for (;;) {
    if (accumulate) for (let i = 0; i < d0; i++) dst[pd + i * t0] = dst[pd + i * t0]! + src[ps + i * s0]!;
    else for (let i = 0; i < d0; i++) dst[pd + i * t0] = src[ps + i * s0]!;
    let ax = 1;
    for (; ax < rank; ax++) {
      counter[ax]!++;
      ps += srcStride[ax]!;
      pd += dstStride[ax]!;
      if (counter[ax]! < shape[ax]!) break;
      ps -= srcStride[ax]! * shape[ax]!;
      pd -= dstStride[ax]! * shape[ax]!;
      counter[ax] = 0;
    }
    if (ax === rank) return;
  }
}
