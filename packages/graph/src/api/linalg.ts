/** The matrix product (Julia's `*` on matrices). */
import type { Tensor, TensorLike } from "../tensor";
import { ShapeError } from "../errors";
import { applyOp } from "../ops/apply";
import { shapeStr } from "../shape";
import { asInput, typeOf } from "./coerce";
import { reshape } from "./movement";

/** Options of `matmul`: use either operand transposed. */
export interface MatmulOptions {
  /** Use Aᵀ in place of A (without materialising it). */
  transA?: boolean;
  /** Use Bᵀ in place of B. */
  transB?: boolean;
}

/** op(A) * op(B). A is a matrix; B a matrix or a vector (then the result is a vector). */
export function matmul(a: TensorLike, b: TensorLike, opts: MatmulOptions = {}): Tensor {
  if (typeof a === "number" || typeof b === "number") throw new ShapeError("matmul: expected arrays, got a number; use mul for scaling");
  const A = asInput("matmul", "A", a), B = asInput("matmul", "B", b);
  const transA = opts.transA ?? false, transB = opts.transB ?? false;
  const bShape = typeOf("matmul", B).shape;
  if (bShape.length === 1 && !transB) {
    const c = applyOp("matmul", [A, reshape(B, [bShape[0]!, 1])], { transA, transB });
    return reshape(c, [c.shape[0]!]);
  }
  const aShape = typeOf("matmul", A).shape;
  if (aShape.length !== 2) throw new ShapeError(`matmul: A must be a matrix, got shape ${shapeStr(aShape)}`);
  return applyOp("matmul", [A, B], { transA, transB });
}
