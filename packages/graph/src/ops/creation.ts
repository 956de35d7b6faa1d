/** Ops that make values: constants, dtype conversion, copies, and the gradient barrier. */
import { DTypeError } from "../errors";
import { isFloat, juliaName } from "../dtype";
import { numel } from "../shape";
import { unaryType } from "./elementwise-def";
import { typeStr } from "./validate";
import type { OpDef } from "./types";
import type { ValueType } from "../ir/graph";
import { astype } from "../api/creation";
import type { NoAttrs } from "./attrs";
import type { FullAttrs, AstypeAttrs } from "./attrs";
export type { FullAttrs, AstypeAttrs } from "./attrs";

export const fullOp: OpDef<FullAttrs> = {
  name: "full", arity: 0,
  infer: (_ins, { shape, dtype }) => ({ shape, dtype }),
  scalar: (_args, { value }) => numberLiteral(value),
  kernel: ({ attrs: { value }, output }) => {
    const n = numel(output.shape);
    return (out) => out.data.fill(value, out.offset, out.offset + n);
  },
  printAttrs: ({ value }) => `value=${value}`,
  constant: ({ value }) => value,
  boundAttr: "value",
  // a constant has no tangent
  jvp: () => null,
  // and no inputs to send a cotangent to
  transpose: () => [],
};

/** A JS literal for a number, including NaN and infinities. */
export function numberLiteral(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "Infinity";
  if (v === -Infinity) return "-Infinity";
  return Object.is(v, -0) ? "-0" : `${v}`;
}

function astypeType([x]: readonly ValueType[], { dtype }: AstypeAttrs): ValueType {
  if (!isFloat(dtype) && x!.dtype !== dtype) {
    throw new DTypeError(`astype: can only convert to Float32 or Float64, not to ${juliaName(dtype)} (from ${typeStr(x!)})`);
  }
  return { shape: x!.shape, dtype };
}

export const astypeOp: OpDef<AstypeAttrs> = {
  name: "astype", arity: 1, infer: astypeType,
  scalar: ([x]) => `(+${x})`,
  kernel: ({ output }) => {
    const n = numel(output.shape);
    return (out, [x]) => {
      const src = x!.data, dst = out.data, o = out.offset, s = x!.offset;
      for (let i = 0; i < n; i++) dst[o + i] = src[s + i]!;
    };
  },
  flops: () => 0,
  printAttrs: ({ dtype }) => `dtype=${dtype}`,
  // Float32 to Float32 is the value itself
  simd: { emit: ([x]) => x!, accepts: ([x], out) => x!.dtype === "f32" && out.dtype === "f32" },
  // converting precision is linear: d astype(x) = astype(dx)
  jvp: (_p, [dx], { dtype }) => astype(dx!, dtype),
  // x̄ = astype(ȳ, dtype(x)); integer and Bool inputs get none
  transpose: (dy, _a, [x]) => [isFloat(x!.dtype) ? astype(dy, x!.dtype) : null],
};

export const copyOp: OpDef<NoAttrs> = {
  name: "copy", arity: 1, infer: (ins) => ({ shape: ins[0]!.shape, dtype: ins[0]!.dtype }),
  scalar: ([x]) => x!,
  kernel: ({ output }) => {
    const n = numel(output.shape);
    return (out, [x]) => out.data.set(x!.data.subarray(x!.offset, x!.offset + n), out.offset);
  },
  flops: () => 0, alias: true, keepsConstant: true,
  // d copy(x) = dx
  jvp: (_p, [dx]) => dx!,
  // x̄ = ȳ
  transpose: (dy) => [dy],
};

export const stopGradientOp: OpDef<NoAttrs> = {
  name: "stopGradient", arity: 1, infer: (ins) => unaryType("stopGradient", ins),
  scalar: ([x]) => x!,
  kernel: ({ output }) => {
    const n = numel(output.shape);
    return (out, [x]) => out.data.set(x!.data.subarray(x!.offset, x!.offset + n), out.offset);
  },
  flops: () => 0, alias: true, keepsConstant: true,
  // the value passes, its derivative does not: d stopGradient(x) = 0
  jvp: () => null,
  vjp: () => [null],
};
