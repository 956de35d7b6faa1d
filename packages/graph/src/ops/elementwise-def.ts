/** Shared shape of elementwise op blocks: same-shape inputs (broadcasting is an explicit node before). */
import { ShapeError } from "../errors";
import { sameShape, shapeStr, numel } from "../shape";
import type { DType } from "../dtype";
import type { ValueType } from "../ir/graph";
import { requireSameFloat, requireFloatType } from "./validate";
import { elementwiseKernel } from "../kernels/elementwise";
import type { KernelArgs, KernelFn, ScalarExpr } from "./types";

/** Output type of an elementwise op whose inputs are floats of one dtype and one shape. */
export function elementwiseType(op: string, names: readonly string[], inputs: readonly ValueType[], out?: DType): ValueType {
  requireSameFloat(op, names, inputs);
  requireSameShape(op, names, inputs);
  return { shape: inputs[0]!.shape, dtype: out ?? inputs[0]!.dtype };
}

export function requireSameShape(op: string, names: readonly string[], inputs: readonly ValueType[]): void {
  inputs.forEach((t, i) => {
    if (!sameShape(t.shape, inputs[0]!.shape)) {
      throw new ShapeError(`${op}: ${names[0]} has shape ${shapeStr(inputs[0]!.shape)} but ${names[i]} has shape ${shapeStr(t.shape)} (elementwise ops take equal shapes; broadcast first)`);
    }
  });
}

export function unaryType(op: string, inputs: readonly ValueType[]): ValueType {
  requireFloatType(op, "x", inputs[0]!);
  return { shape: inputs[0]!.shape, dtype: inputs[0]!.dtype };
}

/** The kernel of an elementwise op, generated from its scalar formula. */
export function scalarKernel<A>(scalar: ScalarExpr<A>): (args: KernelArgs<A>) => KernelFn {
  return ({ attrs, inputs, output }) =>
    elementwiseKernel(scalar(inputs.map((_, k) => `in${k}`), attrs, output.dtype), inputs.map((t) => t.dtype), output.dtype, numel(output.shape));
}

/** One FLOP per output element. */
export function elementwiseFlops<A>({ output }: KernelArgs<A>): number {
  return numel(output.shape);
}
