/** Indexing with integer arrays: NNlib's `gather` (Julia's `W[:, idx]`) and its adjoint `scatter(+, ...)`. */
import type { Tensor, TensorLike } from "../tensor";
import { ShapeError } from "../errors";
import { applyOp } from "../ops/apply";
import { asInput } from "./coerce";

/**
 * Columns of `src` picked by 1-based Int32 indices of any shape: the result has shape
 * [size(src)[1:end-1]..., size(idx)...] and result[:, k] = src[:, idx[k]] (NNlib's `gather`).
 *
 * @example
 * gather(weight, wrapColMajor(new Int32Array([3, 1, 3]), [3]));  // [dim, 3]: columns 3, 1 and 3 of weight
 */
export function gather(src: TensorLike, idx: TensorLike): Tensor {
  if (typeof src === "number" || typeof idx === "number") throw new ShapeError("gather: expected arrays, got a number");
  return applyOp("gather", [asInput("gather", "src", src), asInput("gather", "idx", idx)], {});
}

/**
 * The adjoint of `gather`: an array whose last dim has `size` columns, zero except that column
 * idx[k] accumulates src[:, k] (NNlib's `scatter(+, src, idx; dstsize)`; repeated indices add up).
 */
export function scatterAdd(src: TensorLike, idx: TensorLike, size: number): Tensor {
  if (typeof src === "number" || typeof idx === "number") throw new ShapeError("scatterAdd: expected arrays, got a number");
  return applyOp("scatterAdd", [asInput("scatterAdd", "src", src), asInput("scatterAdd", "idx", idx)], { size });
}
