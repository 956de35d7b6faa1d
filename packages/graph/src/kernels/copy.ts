/** Contiguous copies and accumulations without allocating (subarray views would allocate an object). */
import type { TypedArray } from "../dtype";
import { perDtype } from "./monomorphic";
import { isColMajorContiguous, scatterColMajor, type NdArray } from "../ndarray-util";
import { dtypeOfArray } from "../dtype";

type Copy = (src: TypedArray, so: number, dst: TypedArray, dO: number, n: number, accumulate: boolean) => void;

const copy = perDtype<Copy>(function copyRange(src, so, dst, dO, n, accumulate) {
  if (accumulate) for (let i = 0; i < n; i++) dst[dO + i]! += src[so + i]!;
  else for (let i = 0; i < n; i++) dst[dO + i] = src[so + i]!;
});

/** Writes n column-major elements of `src` from `so` into `dst` (any strides), or adds them. */
export function writeInto(src: TypedArray, so: number, dst: NdArray, n: number, accumulate: boolean): void {
  if (isColMajorContiguous(dst) && dtypeOfArray(src) === dtypeOfArray(dst.data)) {
    if (src === dst.data && so === dst.offset && !accumulate) return;
    copy(`${dtypeOfArray(src)}`)(src, so, dst.data, dst.offset, n, accumulate);
  } else {
    scatterColMajor(src, so, dst, accumulate);
  }
}
