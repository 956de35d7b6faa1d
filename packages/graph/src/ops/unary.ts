/** Elementwise ops of one input. Formulas are numerically stable where the naive one is not. */
import { unaryType, scalarKernel, elementwiseFlops } from "./elementwise-def";
import type { OpDef, ScalarExpr, Primals, VjpRule, OpCore } from "./types";
import { simdUnary, simdConstant, wasmOp as op } from "./simd";
import type { Tensor } from "../tensor";
import { add, mul, div, sub, neg, sign, sigmoid, where, greater } from "../api/elementwise";
import { zerosLike } from "../api/creation";
import type { NoAttrs } from "./attrs";


/** An elementwise op of one input; its JVP is visited only with a non-zero tangent `dx`. */
function unary(name: string, scalar: ScalarExpr<NoAttrs>, jvp: (p: Primals, dx: Tensor) => Tensor | null, vjp: VjpRule<NoAttrs>, facts: Pick<OpCore<NoAttrs>, "simd" | "gemmRole"> = {}): OpDef<NoAttrs> {
  return { name, arity: 1, infer: (ins) => unaryType(name, ins), kernel: scalarKernel(scalar), scalar, flops: elementwiseFlops, jvp: (p, [dx]) => jvp(p, dx!), vjp, ...facts };
}

export const negOp: OpDef<NoAttrs> = {
  name: "neg", arity: 1, infer: (ins) => unaryType("neg", ins), kernel: scalarKernel(([x]) => `(-${x})`), scalar: ([x]) => `(-${x})`, flops: elementwiseFlops,
  simd: simdUnary(op.f32x4Neg, op.f32Neg),
  // d(-x) = -dx
  jvp: (_p, [dx]) => neg(dx!),
  // x̄ = -ȳ
  transpose: (dy) => [neg(dy)],
};

export const absOp = unary("abs", ([x]) => `Math.abs(${x})`,
  // d|x| = sign(x) dx   (0 at x = 0, as Julia's sign)
  ({ x: [x] }, dx) => mul(dx, sign(x)),
  ({ x: [x] }, dy) => [mul(dy, sign(x))],
  { simd: simdUnary(op.f32x4Abs, op.f32Abs) });

export const signOp = unary("sign", ([x]) => `Math.sign(${x})`,
  // d sign(x) = 0 (piecewise constant)
  () => null,
  () => [null]);

export const abs2Op = unary("abs2", ([x]) => `(${x} * ${x})`,
  // d x² = 2x dx
  ({ x: [x] }, dx) => mul(dx, mul(x, 2)),
  ({ x: [x] }, dy) => [mul(dy, mul(x, 2))],
  { simd: { emit: ([a], vector) => [...a!, ...a!, ...(vector ? op.f32x4Mul : op.f32Mul)] } });

export const sqrtOp = unary("sqrt", ([x]) => `Math.sqrt(${x})`,
  // d √x = dx / (2√x)
  ({ y }, dx) => div(dx, mul(y, 2)),
  ({ y }, dy) => [div(dy, mul(y, 2))],
  { simd: simdUnary(op.f32x4Sqrt, op.f32Sqrt) });

export const expOp = unary("exp", ([x]) => `Math.exp(${x})`,
  // d eˣ = eˣ dx
  ({ y }, dx) => mul(dx, y),
  ({ y }, dy) => [mul(dy, y)]);

export const expm1Op = unary("expm1", ([x]) => `Math.expm1(${x})`,
  // d (eˣ - 1) = (y + 1) dx
  ({ y }, dx) => mul(dx, add(y, 1)),
  ({ y }, dy) => [mul(dy, add(y, 1))]);

export const logOp = unary("log", ([x]) => `Math.log(${x})`,
  // d log x = dx / x
  ({ x: [x] }, dx) => div(dx, x),
  ({ x: [x] }, dy) => [div(dy, x)]);

export const log1pOp = unary("log1p", ([x]) => `Math.log1p(${x})`,
  // d log(1 + x) = dx / (1 + x)
  ({ x: [x] }, dx) => div(dx, add(x, 1)),
  ({ x: [x] }, dy) => [div(dy, add(x, 1))]);

export const tanhOp = unary("tanh", ([x]) => `Math.tanh(${x})`,
  // d tanh x = (1 - y²) dx
  ({ y }, dx) => mul(dx, sub(1, mul(y, y))),
  ({ y }, dy) => [mul(dy, sub(1, mul(y, y)))]);

export const sigmoidOp = unary("sigmoid",
  // stable on both sides: never exp of a large positive number
  ([x]) => `(${x} >= 0 ? 1 / (1 + Math.exp(-${x})) : Math.exp(${x}) / (1 + Math.exp(${x})))`,
  // d σ(x) = y (1 - y) dx
  ({ y }, dx) => mul(dx, mul(y, sub(1, y))),
  ({ y }, dy) => [mul(dy, mul(y, sub(1, y)))]);

export const reluOp = unary("relu", ([x]) => `(${x} < 0 ? 0 : ${x})`,
  // d relu(x) = (x > 0) dx; the subgradient at 0 is 0, and `where` keeps NaN in dx out of the masked half
  ({ x: [x] }, dx) => where(greater(x, 0), dx, zerosLike(dx)),
  ({ x: [x] }, dy) => [where(greater(x, 0), dy, zerosLike(dy))],
  {
    // x < 0 ? 0 : x, exactly as the JS formula (NaN and -0 pass through)
    simd: { emit: ([x], v) => [...simdConstant(0, v), ...x!, ...x!, ...simdConstant(0, v), ...(v ? [...op.f32x4Lt, ...op.bitselect] : [...op.f32Lt, ...op.select])] },
    gemmRole: "relu",
  });

export const softplusOp = unary("softplus",
  // log(1 + eˣ) = max(x, 0) + log1p(e^-|x|), finite for every finite x
  ([x]) => `(Math.max(${x}, 0) + Math.log1p(Math.exp(-Math.abs(${x}))))`,
  // d softplus(x) = σ(x) dx
  ({ x: [x] }, dx) => mul(dx, sigmoid(x)),
  ({ x: [x] }, dy) => [mul(dy, sigmoid(x))]);
