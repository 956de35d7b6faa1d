/** Elementwise ops of two same-shape inputs (the public functions broadcast first). */
import { elementwiseType, scalarKernel, elementwiseFlops } from "./elementwise-def";
import type { OpDef, ScalarExpr } from "./types";
import type { SimdFormula } from "./simd";
import { simdBinary, wasmOp as op } from "./simd";
import { add, sub, mul, div, neg, pow, log, where, greater, less, equal } from "../api/elementwise";
import { zerosLike } from "../api/creation";
import { addT, subT, mapT, orZeros } from "../autodiff/tangent-math";
import type { NoAttrs } from "./attrs";

const AB = ["a", "b"];

function binary(name: string, scalar: ScalarExpr<NoAttrs>, simd?: SimdFormula<NoAttrs>) {
  return { name, arity: 2, infer: (ins: readonly import("../ir/graph").ValueType[]) => elementwiseType(name, AB, ins), kernel: scalarKernel(scalar), scalar, flops: elementwiseFlops, ...(simd ? { simd } : {}) };
}

export const addOp: OpDef<NoAttrs> = {
  ...binary("add", ([a, b]) => `(${a} + ${b})`, simdBinary(op.f32x4Add, op.f32Add)),
  gemmRole: "biasAdd",
  // d(a + b) = da + db
  jvp: (_p, [da, db]) => addT(da, db),
  // ā = ȳ, b̄ = ȳ
  transpose: (dy) => [dy, dy],
};

export const subOp: OpDef<NoAttrs> = {
  ...binary("sub", ([a, b]) => `(${a} - ${b})`, simdBinary(op.f32x4Sub, op.f32Sub)),
  // d(a - b) = da - db
  jvp: (_p, [da, db]) => subT(da, db),
  // ā = ȳ, b̄ = -ȳ
  transpose: (dy) => [dy, neg(dy)],
};

export const mulOp: OpDef<NoAttrs> = {
  ...binary("mul", ([a, b]) => `(${a} * ${b})`, simdBinary(op.f32x4Mul, op.f32Mul)),
  // d(ab) = da b + a db
  jvp: ({ x: [a, b] }, [da, db]) => addT(mapT(da, (t) => mul(t, b)), mapT(db, (t) => mul(a, t))),
  // ā = ȳ b, b̄ = ȳ a
  vjp: ({ x: [a, b] }, dy) => [mul(dy, b), mul(dy, a)],
};

export const divOp: OpDef<NoAttrs> = {
  ...binary("div", ([a, b]) => `(${a} / ${b})`, simdBinary(op.f32x4Div, op.f32Div)),
  // d(a / b) = (da - y db) / b
  jvp: ({ x: [, b], y }, [da, db]) => mapT(subT(da, mapT(db, (t) => mul(y, t))), (t) => div(t, b)),
  // ā = ȳ / b, b̄ = -ȳ y / b
  vjp: ({ x: [, b], y }, dy) => [div(dy, b), neg(div(mul(dy, y), b))],
};

export const powOp: OpDef<NoAttrs> = {
  ...binary("pow", ([a, b]) => `Math.pow(${a}, ${b})`),
  // d aᵇ = b a^(b-1) da + aᵇ log(a) db
  jvp: ({ x: [a, b], y }, [da, db]) =>
    addT(mapT(da, (t) => mul(t, mul(b, pow(a, sub(b, 1))))), mapT(db, (t) => mul(t, mul(y, log(a))))),
  vjp: ({ x: [a, b], y }, dy) => [mul(dy, mul(b, pow(a, sub(b, 1)))), mul(dy, mul(y, log(a)))],
};

// max and min split the gradient evenly at ties, as ChainRules does for Julia's max/min.
export const maxOp: OpDef<NoAttrs> = {
  ...binary("max", ([a, b]) => `Math.max(${a}, ${b})`, simdBinary(op.f32x4Max, op.f32Max)),
  // d max(a, b) = da where a > b, db where a < b, (da + db)/2 at ties
  jvp: ({ x: [a, b] }, [da, db]) => pick(greater(a, b), equal(a, b), orZeros(da, a), orZeros(db, b)),
  vjp: ({ x: [a, b] }, dy) => splitCotangent(greater(a, b), equal(a, b), dy),
};

export const minOp: OpDef<NoAttrs> = {
  ...binary("min", ([a, b]) => `Math.min(${a}, ${b})`, simdBinary(op.f32x4Min, op.f32Min)),
  // d min(a, b) = da where a < b, db where a > b, (da + db)/2 at ties
  jvp: ({ x: [a, b] }, [da, db]) => pick(less(a, b), equal(a, b), orZeros(da, a), orZeros(db, b)),
  vjp: ({ x: [a, b] }, dy) => splitCotangent(less(a, b), equal(a, b), dy),
};

type T = import("../tensor").Tensor;

/** da where `first`, the mean of da and db at ties, db elsewhere. */
function pick(first: T, tie: T, da: T, db: T): T {
  return where(first, da, where(tie, mul(add(da, db), 0.5), db));
}

/** [ȳ where first (half at ties), ȳ where second (half at ties)]. */
function splitCotangent(first: T, tie: T, dy: T): T[] {
  const half = mul(dy, 0.5), zero = zerosLike(dy);
  return [where(first, dy, where(tie, half, zero)), where(first, zero, where(tie, half, dy))];
}
