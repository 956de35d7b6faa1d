/**
 * Elementwise ops of two same-shape inputs (the public functions broadcast first).
 *
 * A nonlinear op states its two partial derivatives once, each as `t ↦ t · ∂y/∂a` (and `∂y/∂b`):
 * `binary` derives the JVP (`da·∂y/∂a + db·∂y/∂b`) and the VJP (`[ȳ·∂y/∂a, ȳ·∂y/∂b]`) from them. add and
 * sub are linear and state their transpose instead; mul states its product rule in both directions.
 */
import { elementwiseType, scalarKernel, elementwiseFlops } from "./elementwise-def";
import type { OpCore, OpDef, ScalarExpr, Primals } from "./types";
import type { SimdFormula } from "./simd";
import { simdBinary, wasmOp as op } from "./simd";
import type { Tensor } from "../tensor";
import type { ValueType } from "../ir/graph";
import { mul, div, neg, pow, sub, log, where, greater, less, equal } from "../api/elementwise";
import { zerosLike } from "../api/creation";
import { addT, subT, mapT } from "./tangent-math";
import type { NoAttrs } from "./attrs";

const AB = ["a", "b"];

/** Primal values of a two-input node: its inputs and its output. */
export interface BinaryPrimals {
  readonly x: readonly [Tensor, Tensor];
  readonly y: Tensor;
}

/** `t` times one partial derivative of the op at the primals. */
export type TimesPartial = (p: BinaryPrimals, t: Tensor) => Tensor;

/** The primals of a node of a two-input op (nodes are built with exactly `arity` inputs). */
function binaryPrimals({ x: [a, b], y }: Primals): BinaryPrimals {
  return { x: [a!, b!], y };
}

function core(name: string, scalar: ScalarExpr<NoAttrs>, simd?: SimdFormula<NoAttrs>): Omit<OpCore<NoAttrs>, "jvp"> {
  return { name, arity: 2, infer: (ins: readonly ValueType[]) => elementwiseType(name, AB, ins), kernel: scalarKernel(scalar), scalar, flops: elementwiseFlops, ...(simd ? { simd } : {}) };
}

/** A nonlinear elementwise op of two inputs from its scalar formula and its two partial derivatives. */
export function binary(name: string, scalar: ScalarExpr<NoAttrs>, [da, db]: readonly [TimesPartial, TimesPartial], simd?: SimdFormula<NoAttrs>): OpDef<NoAttrs> {
  return {
    ...core(name, scalar, simd),
    jvp: (p, [ta, tb]) => {
      const ab = binaryPrimals(p);
      return addT(mapT(ta ?? null, (t) => da(ab, t)), mapT(tb ?? null, (t) => db(ab, t)));
    },
    vjp: (p, dy) => {
      const ab = binaryPrimals(p);
      return [da(ab, dy), db(ab, dy)];
    },
  };
}

export const addOp: OpDef<NoAttrs> = {
  ...core("add", ([a, b]) => `(${a} + ${b})`, simdBinary(op.f32x4Add, op.f32Add)),
  gemmRole: "biasAdd",
  // d(a + b) = da + db
  jvp: (_p, [da, db]) => addT(da ?? null, db ?? null),
  // ā = ȳ, b̄ = ȳ
  transpose: (dy) => [dy, dy],
};

// mul is bilinear and states both rules, so derivative graphs keep their operand order (a·db, ȳ·a)
export const mulOp: OpDef<NoAttrs> = {
  ...core("mul", ([a, b]) => `(${a} * ${b})`, simdBinary(op.f32x4Mul, op.f32Mul)),
  // d(ab) = da b + a db
  jvp: ({ x: [a, b] }, [da, db]) => addT(mapT(da ?? null, (t) => mul(t, b!)), mapT(db ?? null, (t) => mul(a!, t))),
  // ā = ȳ b, b̄ = ȳ a
  vjp: ({ x: [a, b] }, dy) => [mul(dy, b!), mul(dy, a!)],
};

export const subOp: OpDef<NoAttrs> = {
  ...core("sub", ([a, b]) => `(${a} - ${b})`, simdBinary(op.f32x4Sub, op.f32Sub)),
  // d(a - b) = da - db
  jvp: (_p, [da, db]) => subT(da ?? null, db ?? null),
  // ā = ȳ, b̄ = -ȳ
  transpose: (dy) => [dy, neg(dy)],
};

// max and min split the gradient evenly at ties, as ChainRules does for Julia's max/min.
/** The first input's share of `t`: all where `first` holds, half at ties, none elsewhere. */
const firstShare = (first: Tensor, tie: Tensor, t: Tensor): Tensor => where(first, t, where(tie, mul(t, 0.5), zerosLike(t)));
/** The second input's share: none where `first` holds, half at ties, all elsewhere (NaN comparisons included). */
const secondShare = (first: Tensor, tie: Tensor, t: Tensor): Tensor => where(first, zerosLike(t), where(tie, mul(t, 0.5), t));

/** The two-input elementwise ops that are not linear, by name (the registry takes them all). */
export const BINARY_OPS = {
  add: addOp,
  sub: subOp,
  mul: mulOp,
  // ∂(a/b)/∂a = 1/b, ∂(a/b)/∂b = -y/b
  div: binary("div", ([a, b]) => `(${a} / ${b})`, [({ x: [, b] }, t) => div(t, b), ({ x: [, b], y }, t) => neg(div(mul(t, y), b))], simdBinary(op.f32x4Div, op.f32Div)),
  // ∂aᵇ/∂a = b a^(b-1), ∂aᵇ/∂b = aᵇ log(a)
  pow: binary("pow", ([a, b]) => `Math.pow(${a}, ${b})`, [({ x: [a, b] }, t) => mul(t, mul(b, pow(a, sub(b, 1)))), ({ x: [a], y }, t) => mul(t, mul(y, log(a)))]),
  // ∂max(a, b)/∂a = 1 where a > b, ½ at ties, 0 elsewhere; ∂max(a, b)/∂b = 1 - ∂max(a, b)/∂a
  max: binary("max", ([a, b]) => `Math.max(${a}, ${b})`, [({ x: [a, b] }, t) => firstShare(greater(a, b), equal(a, b), t), ({ x: [a, b] }, t) => secondShare(greater(a, b), equal(a, b), t)],
    simdBinary(op.f32x4Max, op.f32Max)),
  // ∂min(a, b)/∂a = 1 where a < b, ½ at ties, 0 elsewhere; ∂min(a, b)/∂b = 1 - ∂min(a, b)/∂a
  min: binary("min", ([a, b]) => `Math.min(${a}, ${b})`, [({ x: [a, b] }, t) => firstShare(less(a, b), equal(a, b), t), ({ x: [a, b] }, t) => secondShare(less(a, b), equal(a, b), t)],
    simdBinary(op.f32x4Min, op.f32Min)),
};
