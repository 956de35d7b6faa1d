/**
 * Attention masks: a Bool mask keeps the entries where it is true (NNlib's `ifelse.(mask, x, typemin)`),
 * an additive mask is 0 where kept and -Inf elsewhere. Either way a softmax gives masked entries
 * exactly zero weight, and no gradient flows to them.
 */
import type { Tensor, TensorLike } from "../tensor";
import { where } from "./elementwise";
import { wrapColMajor, type NdArray } from "../ndarray-util";
import { ShapeError } from "../errors";
import type { FloatDType } from "../dtype";

/** x where `keep` is true, -Inf (or `value`) elsewhere; `keep` broadcasts against x. */
export function applyMask(x: TensorLike, keep: TensorLike, value = -Infinity): Tensor {
  return where(keep, x, value);
}

/** The additive form of a Bool mask: 0 where `keep` is true, -Inf elsewhere, to add to logits. */
export function additiveMask(keep: TensorLike, dtype: FloatDType = "f32"): Tensor {
  return where(keep, wrapColMajor(dtype === "f32" ? new Float32Array(1) : new Float64Array(1), [1]), -Infinity);
}

/**
 * The causal mask of NNlib's `make_causal_mask`: a [len, len] Bool matrix with m[i, j] = i ≤ j, so key i
 * (dim 1) is visible to query j (dim 2) only when it does not come later.
 */
export function makeCausalMask(len: number): NdArray {
  if (!Number.isInteger(len) || len < 1) throw new ShapeError(`makeCausalMask: the length must be a positive integer, got ${len}`);
  const data = new Uint8Array(len * len);
  for (let j = 0; j < len; j++) for (let i = 0; i <= j; i++) data[i + j * len] = 1;
  return wrapColMajor(data, [len, len]);
}
