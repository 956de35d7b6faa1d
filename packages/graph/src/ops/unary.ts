/**
 * Elementwise ops of one input. Formulas are numerically stable where the naive one is not.
 *
 * Each op states its derivative once, as `t ↦ t · dy/dx` (its Jacobian is diagonal, so the same map
 * takes a tangent forward and a cotangent back): `unary` derives the JVP (applied to dx) and the VJP
 * (applied to ȳ) from it, and the kernel from the scalar formula.
 */
import { unaryType, scalarKernel, elementwiseFlops } from "./elementwise-def";
import type { OpDef, ScalarExpr, Primals, OpCore } from "./types";
import type { Tensor } from "../tensor";
import { add, mul, div, sub, neg, sign, sigmoid, where, greater, less, abs, abs2 } from "../api/elementwise";
import { zerosLike } from "../api/creation";
import type { NoAttrs } from "./attrs";
import { simdUnary, simdConstant, wasmOp as op } from "./simd";

/** Primal values of a one-input node: its input and its output. */
export interface UnaryPrimals {
  readonly x: readonly [Tensor];
  readonly y: Tensor;
}

/** `t` times the op's derivative dy/dx at the primals; null when the derivative is zero everywhere. */
export type TimesDerivative = (p: UnaryPrimals, t: Tensor) => Tensor | null;

/** The primals of a node of a one-input op (nodes are built with exactly `arity` inputs). */
function unaryPrimals({ x: [x], y }: Primals): UnaryPrimals {
  return { x: [x!], y };
}

/** An elementwise op of one input from its scalar formula and its derivative; `facts` adds block fields (simd, ...). */
export function unary(name: string, scalar: ScalarExpr<NoAttrs>, times: TimesDerivative, facts: Pick<OpCore<NoAttrs>, "simd" | "gemmRole"> = {}): OpDef<NoAttrs> {
  return {
    name, arity: 1, infer: (ins) => unaryType(name, ins), kernel: scalarKernel(scalar), scalar, flops: elementwiseFlops,
    jvp: (p, [dx]) => times(unaryPrimals(p), dx!),
    vjp: (p, dy) => [times(unaryPrimals(p), dy)],
    ...facts,
  };
}

export const negOp: OpDef<NoAttrs> = {
  name: "neg", arity: 1, infer: (ins) => unaryType("neg", ins), kernel: scalarKernel(([x]) => `(-${x})`), scalar: ([x]) => `(-${x})`, flops: elementwiseFlops,
  simd: simdUnary(op.f32x4Neg, op.f32Neg),
  // d(-x) = -dx
  jvp: (_p, [dx]) => neg(dx!),
  // x̄ = -ȳ
  transpose: (dy) => [neg(dy)],
};

/** The one-input elementwise ops, by name (the registry takes them all). */
export const UNARY_OPS = {
  neg: negOp,
  // d|x| = sign(x) dx   (0 at x = 0, as Julia's sign)
  abs: unary("abs", ([x]) => `Math.abs(${x})`, ({ x: [x] }, t) => mul(t, sign(x)), { simd: simdUnary(op.f32x4Abs, op.f32Abs) }),
  // d sign(x) = 0 (piecewise constant)
  sign: unary("sign", ([x]) => `Math.sign(${x})`, () => null),
  // d x² = 2x dx
  abs2: unary("abs2", ([x]) => `(${x} * ${x})`, ({ x: [x] }, t) => mul(t, mul(x, 2)),
    { simd: { emit: ([a], vector) => [...a!, ...a!, ...(vector ? op.f32x4Mul : op.f32Mul)] } }),
  // d √x = dx / (2√x)
  sqrt: unary("sqrt", ([x]) => `Math.sqrt(${x})`, ({ y }, t) => div(t, mul(y, 2)), { simd: simdUnary(op.f32x4Sqrt, op.f32Sqrt) }),
  // d eˣ = eˣ dx
  exp: unary("exp", ([x]) => `Math.exp(${x})`, ({ y }, t) => mul(t, y)),
  // d (eˣ - 1) = (y + 1) dx
  expm1: unary("expm1", ([x]) => `Math.expm1(${x})`, ({ y }, t) => mul(t, add(y, 1))),
  // d log x = dx / x
  log: unary("log", ([x]) => `Math.log(${x})`, ({ x: [x] }, t) => div(t, x)),
  // d log(1 + x) = dx / (1 + x)
  log1p: unary("log1p", ([x]) => `Math.log1p(${x})`, ({ x: [x] }, t) => div(t, add(x, 1))),
  // d tanh x = (1 - y²) dx
  tanh: unary("tanh", ([x]) => `Math.tanh(${x})`, ({ y }, t) => mul(t, sub(1, mul(y, y)))),
  // σ stable on both sides (never exp of a large positive number); d σ(x) = y (1 - y) dx
  sigmoid: unary("sigmoid", ([x]) => `(${x} >= 0 ? 1 / (1 + Math.exp(-${x})) : Math.exp(${x}) / (1 + Math.exp(${x})))`,
    ({ y }, t) => mul(t, mul(y, sub(1, y)))),
  // d relu(x) = (y > 0) dx, as NNlib (Ω > 0, the same mask as x > 0, so the input need not be kept); the
  // subgradient at 0 is 0, and `where` keeps NaN in dx out of the masked half
  relu: unary("relu", ([x]) => `(${x} < 0 ? 0 : ${x})`, ({ y }, t) => where(greater(y, 0), t, zerosLike(t)), {
    // x < 0 ? 0 : x, exactly as the JS formula (NaN and -0 pass through)
    simd: { emit: ([x], v) => [...simdConstant(0, v), ...x!, ...x!, ...simdConstant(0, v), ...(v ? [...op.f32x4Lt, ...op.bitselect] : [...op.f32Lt, ...op.select])] },
    gemmRole: "relu",
  }),
  // log(1 + eˣ) = max(x, 0) + log1p(e^-|x|), finite for every finite x; d softplus(x) = σ(x) dx
  softplus: unary("softplus", ([x]) => `(Math.max(${x}, 0) + Math.log1p(Math.exp(-Math.abs(${x}))))`, ({ x: [x] }, t) => mul(t, sigmoid(x))),
  // d softsign(x) = dx / (1 + |x|)²
  softsign: unary("softsign", ([x]) => `(${x} / (1 + Math.abs(${x})))`, ({ x: [x] }, t) => div(t, abs2(add(abs(x), 1)))),
  // d hardswish(x) = 0 for x < -3, dx for x > 3, else (x/3 + 1/2) dx (NNlib's deriv_hardswish)
  hardswish: unary("hardswish", ([x]) => `(${x} * Math.max(0, Math.min(1, (${x} + 3) / 6)))`,
    ({ x: [x] }, t) => where(less(x, -3), zerosLike(t), where(greater(x, 3), t, mul(t, add(div(x, 3), 0.5))))),
};
