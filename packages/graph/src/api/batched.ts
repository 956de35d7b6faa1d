/** The batched matrix product (NNlib's `batched_mul`, `⊠`): one matrix product per slice of dim 3. */
import type { Tensor, TensorLike } from "../tensor";
import { ShapeError } from "../errors";
import { applyOp } from "../ops/apply";
import { asInput } from "./coerce";
import type { MatmulOptions } from "./linalg";

/**
 * C[:, :, b] = op(A[:, :, b]) * op(B[:, :, b]) for A and B of shape [rows, cols, batch] (equal batch).
 *
 * @example
 * batchedMul(q, k, { transA: true });  // [klen, qlen, batch] attention logits from q [d, qlen, batch], k [d, klen, batch]
 */
export function batchedMul(a: TensorLike, b: TensorLike, opts: MatmulOptions = {}): Tensor {
  if (typeof a === "number" || typeof b === "number") throw new ShapeError("batchedMul: expected 3-d arrays, got a number");
  return applyOp("batchedMatmul", [asInput("batchedMul", "A", a), asInput("batchedMul", "B", b)], { transA: opts.transA ?? false, transB: opts.transB ?? false });
}
