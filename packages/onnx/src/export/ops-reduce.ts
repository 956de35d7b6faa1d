/** Export rules of reductions and softmax-like ops; axes are mirrored (tsflux axis a of rank r is ONNX r-1-a). */
import type { Node } from "@tsflux/graph";
import type { ExportContext, ExportRule } from "./context";

interface ReduceAttrs { axes: readonly number[]; keepDims: boolean }

/** ONNX axes of a node's reduced tsflux axes, sorted. */
function onnxAxes(n: Node, ctx: ExportContext, axes: readonly number[]): number[] {
  const rank = n.inputs[0]!.shape.length;
  return axes.map((a) => ctx.axis(rank, a)).sort((a, b) => a - b);
}

/**
 * A Reduce* op. Axes are an input from `inputSince` on (13 for ReduceSum, 18 for the rest), an attribute before.
 */
function reduceWith(ctx: ExportContext, opType: string, inputSince: number, x: string, axes: number[], keepDims: boolean): string {
  const keepdims = keepDims ? 1 : 0;
  return ctx.opset >= inputSince ? ctx.emit(opType, [x, ctx.int64(axes)], { keepdims }) : ctx.emit(opType, [x], { axes, keepdims });
}

function reduce(opType: string, inputSince: number): ExportRule {
  return {
    emit: (n, ctx) => {
      const { axes, keepDims } = n.attrs as ReduceAttrs;
      return reduceWith(ctx, opType, inputSince, ctx.name(n.inputs[0]!), onnxAxes(n, ctx, axes), keepDims);
    },
  };
}

/** softmax / logsoftmax: one ONNX op along a single axis; over several axes, x - logsumexp(x) (then exp). */
function softmaxLike(opType: "Softmax" | "LogSoftmax"): ExportRule {
  return {
    emit: (n, ctx) => {
      const x = ctx.name(n.inputs[0]!);
      const axes = onnxAxes(n, ctx, (n.attrs as { axes: readonly number[] }).axes);
      if (axes.length === 1) return ctx.emit(opType, [x], { axis: axes[0]! });
      const logp = ctx.emit("Sub", [x, reduceWith(ctx, "ReduceLogSumExp", 18, x, axes, true)]);
      return opType === "Softmax" ? ctx.emit("Exp", [logp]) : logp;
    },
  };
}

export const reduceRules: Record<string, ExportRule> = {
  sum: reduce("ReduceSum", 13),
  maximum: reduce("ReduceMax", 18),
  minimum: reduce("ReduceMin", 18),
  logsumexp: reduce("ReduceLogSumExp", 18),
  softmax: softmaxLike("Softmax"),
  logsoftmax: softmaxLike("LogSoftmax"),
};
