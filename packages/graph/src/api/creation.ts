/** Constants, conversions and copies. */
import type { Tensor, TensorLike } from "../tensor";
import { applyOp } from "../ops/apply";
import type { DType } from "../dtype";
import { asInput, typeOf, full } from "./coerce";

export { full };

/** Zeros with the shape and dtype of `x`. */
export function zerosLike(x: TensorLike): Tensor {
  if (typeof x === "number") return full(0, [], "f64");
  const t = typeOf("zerosLike", asInput("zerosLike", "x", x));
  return full(0, t.shape, t.dtype);
}

/** Ones with the shape and dtype of `x`. */
export function onesLike(x: TensorLike): Tensor {
  if (typeof x === "number") return full(1, [], "f64");
  const t = typeOf("onesLike", asInput("onesLike", "x", x));
  return full(1, t.shape, t.dtype);
}

/** Converts to another element type (Float32 <-> Float64, or Int32/Bool to a float type). */
export function astype(x: TensorLike, dtype: DType): Tensor {
  const input = typeof x === "number" ? full(x, [], dtype) : asInput("astype", "x", x);
  return applyOp("astype", [input], { dtype });
}

/** A new buffer holding the same values (a value that later in-place ops on `x` do not change). */
export function copy(x: TensorLike): Tensor {
  const input = typeof x === "number" ? full(x, [], "f64") : asInput("copy", "x", x);
  return applyOp("copy", [input], {});
}

/** The value of `x`, treated as a constant by differentiation. */
export function stopGradient(x: TensorLike): Tensor {
  const input = typeof x === "number" ? full(x, [], "f64") : asInput("stopGradient", "x", x);
  return applyOp("stopGradient", [input], {});
}

/** Uniform random numbers in [0, 1) of `shape`; inside a compiled plan every run draws anew. */
export function randomUniform(shape: readonly number[], dtype: DType = "f32"): Tensor {
  return applyOp("randomUniform", [], { shape: [...shape], dtype });
}
