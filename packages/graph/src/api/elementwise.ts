/**
 * Elementwise functions. Each accepts Tensor | ndarray | number, broadcasts with Julia's rules
 * (missing trailing dims are 1), and works eagerly on arrays or symbolically while tracing.
 */
import type { Tensor, TensorLike } from "../tensor";
import { applyOp } from "../ops/apply";
import type { AttrsOf, NoAttrs, OpName } from "../ops/attrs";
import { asInput, broadcastInput, elementwiseOperands, typeOf } from "./coerce";
import { broadcastShapes } from "../shape";

/** The ops without attributes. */
type PlainOp = { [K in OpName]: AttrsOf[K] extends NoAttrs ? K : never }[OpName];

const X = ["x"], AB = ["a", "b"];
/** The attributes of every attribute-free node (shared: nodes never change their attributes). */
const NO_ATTRS: NoAttrs = Object.freeze({});

function unary(op: PlainOp, x: TensorLike): Tensor {
  return applyOp(op, elementwiseOperands(op, X, [x]), NO_ATTRS);
}

function binary(op: PlainOp, a: TensorLike, b: TensorLike): Tensor {
  return applyOp(op, elementwiseOperands(op, AB, [a, b]), NO_ATTRS);
}

/** -x */
export const neg = (x: TensorLike): Tensor => unary("neg", x);
/** |x| */
export const abs = (x: TensorLike): Tensor => unary("abs", x);
/** sign(x): -1, 0 or 1 (NaN stays NaN) */
export const sign = (x: TensorLike): Tensor => unary("sign", x);
/** x² (Julia's abs2 for real numbers) */
export const abs2 = (x: TensorLike): Tensor => unary("abs2", x);
/** √x */
export const sqrt = (x: TensorLike): Tensor => unary("sqrt", x);
/** eˣ */
export const exp = (x: TensorLike): Tensor => unary("exp", x);
/** eˣ - 1, accurate near 0 */
export const expm1 = (x: TensorLike): Tensor => unary("expm1", x);
/** natural logarithm */
export const log = (x: TensorLike): Tensor => unary("log", x);
/** log(1 + x), accurate near 0 */
export const log1p = (x: TensorLike): Tensor => unary("log1p", x);
/** hyperbolic tangent */
export const tanh = (x: TensorLike): Tensor => unary("tanh", x);
/** logistic function 1 / (1 + e⁻ˣ), stable for large |x| */
export const sigmoid = (x: TensorLike): Tensor => unary("sigmoid", x);
/** max(x, 0) */
export const relu = (x: TensorLike): Tensor => unary("relu", x);
/** log(1 + eˣ), stable for large |x| */
export const softplus = (x: TensorLike): Tensor => unary("softplus", x);
/** x / (1 + |x|) */
export const softsign = (x: TensorLike): Tensor => unary("softsign", x);
/** x · hardσ(x) = x · clamp((x + 3) / 6, 0, 1) (NNlib's hardswish, MobileNetV3's hard swish) */
export const hardswish = (x: TensorLike): Tensor => unary("hardswish", x);

/** a + b */
export const add = (a: TensorLike, b: TensorLike): Tensor => binary("add", a, b);
/** a - b */
export const sub = (a: TensorLike, b: TensorLike): Tensor => binary("sub", a, b);
/** a * b, elementwise (Julia's a .* b); see matmul for the matrix product */
export const mul = (a: TensorLike, b: TensorLike): Tensor => binary("mul", a, b);
/** a / b */
export const div = (a: TensorLike, b: TensorLike): Tensor => binary("div", a, b);
/** aᵇ */
export const pow = (a: TensorLike, b: TensorLike): Tensor => binary("pow", a, b);
/** elementwise maximum (NaN wins) */
export const max = (a: TensorLike, b: TensorLike): Tensor => binary("max", a, b);
/** elementwise minimum (NaN wins) */
export const min = (a: TensorLike, b: TensorLike): Tensor => binary("min", a, b);

/** a < b, a Bool array */
export const less = (a: TensorLike, b: TensorLike): Tensor => binary("less", a, b);
/** a <= b */
export const lessEqual = (a: TensorLike, b: TensorLike): Tensor => binary("lessEqual", a, b);
/** a > b */
export const greater = (a: TensorLike, b: TensorLike): Tensor => binary("greater", a, b);
/** a >= b */
export const greaterEqual = (a: TensorLike, b: TensorLike): Tensor => binary("greaterEqual", a, b);
/** a == b */
export const equal = (a: TensorLike, b: TensorLike): Tensor => binary("equal", a, b);
/** a != b */
export const notEqual = (a: TensorLike, b: TensorLike): Tensor => binary("notEqual", a, b);

/** `cond ? a : b` elementwise (Julia's ifelse.(cond, a, b)); cond is a Bool array from a comparison. */
export function where(cond: TensorLike, a: TensorLike, b: TensorLike): Tensor {
  const c = asInput("where", "cond", cond);
  const [ta, tb] = elementwiseOperands("where", ["a", "b"], [a, b]);
  const shape = broadcastShapes("where", typeOf("where", c).shape, typeOf("where", ta!).shape, ["cond", "a"]);
  return applyOp("where", [broadcastInput("where", c, shape), broadcastInput("where", ta!, shape), broadcastInput("where", tb!, shape)], {});
}
