/** Comparisons (boolean output, no derivative) and `where`, whose condition gets no gradient. */
import { DTypeError } from "../errors";
import { juliaName } from "../dtype";
import { elementwiseType, requireSameShape, scalarKernel, elementwiseFlops } from "./elementwise-def";
import { requireSameFloat, typeStr } from "./validate";
import type { OpDef } from "./types";
import type { SimdFormula } from "./simd";
import { simdBinary, wasmOp as op } from "./simd";
import type { ValueType } from "../ir/graph";
import { where } from "../api/elementwise";
import { zerosLike } from "../api/creation";
import type { NoAttrs } from "./attrs";


function comparison(name: string, symbol: string, simd: SimdFormula<NoAttrs>): OpDef<NoAttrs> {
  const scalar = ([a, b]: readonly string[]) => `(${a} ${symbol} ${b} ? 1 : 0)`;
  return {
    name, arity: 2, infer: (ins) => elementwiseType(name, ["a", "b"], ins, "bool"), kernel: scalarKernel(scalar), scalar, flops: elementwiseFlops, simd,
    // a boolean output has no tangent
    jvp: () => null,
    // and sends no cotangent to either input
    vjp: () => [null, null],
  };
}

export const lessOp = comparison("less", "<", simdBinary(op.f32x4Lt, op.f32Lt, true));
export const lessEqualOp = comparison("lessEqual", "<=", simdBinary(op.f32x4Le, op.f32Le, true));
export const greaterOp = comparison("greater", ">", simdBinary(op.f32x4Gt, op.f32Gt, true));
export const greaterEqualOp = comparison("greaterEqual", ">=", simdBinary(op.f32x4Ge, op.f32Ge, true));
export const equalOp = comparison("equal", "===", simdBinary(op.f32x4Eq, op.f32Eq, true));
export const notEqualOp = comparison("notEqual", "!==", simdBinary(op.f32x4Ne, op.f32Ne, true));

function whereType(ins: readonly ValueType[]): ValueType {
  const [c, a, b] = ins;
  if (c!.dtype !== "bool") {
    throw new DTypeError(`where: the condition must be a Bool array (from a comparison), got ${juliaName(c!.dtype)} ${typeStr(c!)}`);
  }
  requireSameFloat("where", ["a", "b"], [a!, b!]);
  requireSameShape("where", ["cond", "a", "b"], ins);
  return { shape: a!.shape, dtype: a!.dtype };
}

export const whereOp: OpDef<NoAttrs> = {
  name: "where", arity: 3, infer: whereType, flops: elementwiseFlops,
  scalar: ([c, a, b]) => `(${c} !== 0 ? ${a} : ${b})`,
  kernel: scalarKernel(([c, a, b]) => `(${c} !== 0 ? ${a} : ${b})`),
  simd: { emit: ([c, a, b], vector) => [...a!, ...b!, ...c!, ...(vector ? op.bitselect : op.select)] },
  // d where(c, a, b) = where(c, da, db)
  jvp: ({ x: [c, a, b] }, [, da, db]) => where(c!, da ?? zerosLike(a!), db ?? zerosLike(b!)),
  // c̄ = none, ā = where(c, ȳ, 0), b̄ = where(c, 0, ȳ): a NaN in the unused branch's cotangent stays out
  vjp: ({ x: [c] }, dy) => [null, where(c!, dy, zerosLike(dy)), where(c!, zerosLike(dy), dy)],
};
