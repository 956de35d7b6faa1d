/** Reductions with Julia's `dims` (1-based; reduced dims are kept as size 1), and the softmax family. */
import type { Tensor, TensorLike } from "../tensor";
import { applyOp } from "../ops/apply";
import { normalizeDims, type Shape } from "../shape";
import { elementwiseOperands, typeOf, broadcastInput } from "./coerce";
import { div } from "./elementwise";
import { reshape } from "./movement";
import type { ReduceAttrs } from "../ops/attrs";

/** Options of the reductions: the (1-based) dims to reduce over. */
export interface DimsOptions {
  /** Julia's dims: 1-based, a number or a list; the reduced dims are kept with size 1. */
  dims?: number | readonly number[];
}

function reduction(op: "sum" | "maximum" | "minimum" | "logsumexp", x: TensorLike, opts: DimsOptions | undefined): Tensor {
  const [input] = elementwiseOperands(op, ["x"], [x]);
  const rank = typeOf(op, input!).shape.length;
  const keepDims = opts?.dims !== undefined;
  return applyOp(op, [input!], { axes: normalizeDims(op, opts?.dims, rank), keepDims });
}

/** Σx over all elements (a scalar), or over `dims` (kept as size 1). */
export const sum = (x: TensorLike, opts?: DimsOptions): Tensor => reduction("sum", x, opts);
/** Largest element (NaN if any is NaN), over all elements or along `dims`. */
export const maximum = (x: TensorLike, opts?: DimsOptions): Tensor => reduction("maximum", x, opts);
/** Smallest element (NaN if any is NaN), over all elements or along `dims`. */
export const minimum = (x: TensorLike, opts?: DimsOptions): Tensor => reduction("minimum", x, opts);
/** log Σ exp(x), computed stably, over all elements or along `dims`. */
export const logsumexp = (x: TensorLike, opts?: DimsOptions): Tensor => reduction("logsumexp", x, opts);

/** Arithmetic mean, over all elements or along `dims`. */
export function mean(x: TensorLike, opts?: DimsOptions): Tensor {
  const s = sum(x, opts);
  const inShape = typeOf("mean", elementwiseOperands("mean", ["x"], [x])[0]!).shape;
  const count = normalizeDims("mean", opts?.dims, inShape.length).reduce((n, a) => n * inShape[a]!, 1);
  return div(s, count);
}

function softmaxLike(op: "softmax" | "logsoftmax", x: TensorLike, opts: DimsOptions | undefined): Tensor {
  const [input] = elementwiseOperands(op, ["x"], [x]);
  const rank = typeOf(op, input!).shape.length;
  return applyOp(op, [input!], { axes: normalizeDims(op, opts?.dims ?? 1, rank) });
}

/** exp(x) / Σ exp(x) along `dims` (default 1: each column of a [classes, batch] matrix). */
export const softmax = (x: TensorLike, opts?: DimsOptions): Tensor => softmaxLike("softmax", x, opts);
/** x - logsumexp(x) along `dims` (default 1). */
export const logsoftmax = (x: TensorLike, opts?: DimsOptions): Tensor => softmaxLike("logsoftmax", x, opts);

/** Sum over 0-based axes (for derivative rules). */
export function sumAxes(x: Tensor, axes: readonly number[], keepDims: boolean): Tensor {
  return applyOp("sum", [x], { axes: [...axes], keepDims });
}

/** A reduction's result (or cotangent) broadcast back to the input shape. */
export function expandReduced(y: Tensor, shape: Shape, { axes, keepDims }: ReduceAttrs): Tensor {
  const kept = keepDims ? y : reshape(y, shape.map((d, i) => (axes.includes(i) ? 1 : d)));
  return broadcastInput("broadcastTo", kept, shape) as Tensor;
}
