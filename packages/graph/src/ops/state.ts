/**
 * The only ops that mutate: each reads the current version of a buffer (its first input) and defines
 * the next version. Values stay SSA; the reverse visitor reasons about versions.
 */
import { elementwiseType, unaryType, elementwiseFlops, scalarKernel } from "./elementwise-def";
import type { OpDef } from "./types";
import { simdBinary, simdConstant, wasmOp as op } from "./simd";
import { numberLiteral } from "./creation";
import { mul } from "../api/elementwise";
import { addT, mapT } from "./tangent-math";
import { zerosLike } from "../api/creation";
import type { NoAttrs } from "./attrs";
import type { FillAttrs } from "./attrs";
export type { FillAttrs } from "./attrs";

const DST_SRC = ["dst", "src"];

export const assignOp: OpDef<NoAttrs> = {
  name: "assign", arity: 2, infer: (ins) => elementwiseType("assign", DST_SRC, ins),
  scalar: ([, src]) => src!, kernel: scalarKernel(([, src]) => src!), flops: () => 0,
  simd: { emit: ([, s]) => s! },
  // d(dst .= src) = dsrc
  jvp: ({ y }, [, dsrc]) => dsrc ?? zerosLike(y),
  // the old contents get no cotangent (they are overwritten), src gets all of it
  transpose: (dy) => [null, dy],
};

export const addAssignOp: OpDef<NoAttrs> = {
  name: "addAssign", arity: 2, infer: (ins) => elementwiseType("addAssign", DST_SRC, ins),
  scalar: ([d, s]) => `(${d} + ${s})`, kernel: scalarKernel(([d, s]) => `(${d} + ${s})`), flops: elementwiseFlops,
  simd: simdBinary(op.f32x4Add, op.f32Add),
  // d(dst .+= src) = ddst + dsrc
  jvp: (_p, [dd, ds]) => addT(dd ?? null, ds ?? null),
  transpose: (dy) => [dy, dy],
};

export const mulAssignOp: OpDef<NoAttrs> = {
  name: "mulAssign", arity: 2, infer: (ins) => elementwiseType("mulAssign", DST_SRC, ins),
  scalar: ([d, s]) => `(${d} * ${s})`, kernel: scalarKernel(([d, s]) => `(${d} * ${s})`), flops: elementwiseFlops,
  simd: simdBinary(op.f32x4Mul, op.f32Mul),
  // d(dst .*= src) = ddst src + dst dsrc
  jvp: ({ x: [d, s] }, [dd, ds]) => addT(mapT(dd ?? null, (t) => mul(t, s!)), mapT(ds ?? null, (t) => mul(d!, t))),
  // d̄st = ȳ src, s̄rc = ȳ dst (the old contents)
  vjp: ({ x: [d, s] }, dy) => [mul(dy, s!), mul(dy, d!)],
};

export const fillOp: OpDef<FillAttrs> = {
  name: "fill", arity: 1, infer: (ins) => unaryType("fill", ins),
  scalar: (_args, { value }) => numberLiteral(value), kernel: scalarKernel((_args, { value }) => numberLiteral(value)), flops: () => 0,
  printAttrs: ({ value }) => `value=${value}`,
  simd: { emit: (_args, vector, { value }) => simdConstant(value, vector) },
  // a constant fill has no tangent
  jvp: () => null,
  // and the old contents get none either
  transpose: () => [null],
};
