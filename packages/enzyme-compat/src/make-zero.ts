/**
 * Enzyme's make_zero: a copy of x with every float array replaced by zeros of the same shape and type.
 * Functions, numbers and integer arrays are shared with x, not copied; arrays that appear twice in x
 * (tied weights) are one array in the copy too. Class instances keep their class.
 */
import { fmap, isFloatArray, longLivedZeros, Tensor, isNdarray, type NdArray } from "@tsflux/graph";

/** Enzyme's `make_zero`: a copy of `x` with every float array (and number) zeroed, other leaves shared. */
export function makeZero<T>(x: T): T {
  if (typeof x === "number") return 0 as T;
  if (x instanceof Tensor) return (x.isSymbolic ? x : Tensor.concrete(zeroLike(x.toNdarray()))) as T;
  if (isNdarray(x)) return (isFloatArray(x) ? zeroLike(x) : x) as T;
  return fmap((a) => (isFloatArray(a) ? zeroLike(a) : a), x) as T;
}

function zeroLike(a: NdArray): NdArray {
  return longLivedZeros(a.shape, a.data instanceof Float64Array ? "f64" : "f32");
}
