/** Import rules of reductions and softmax-like ops: ONNX axis a of rank r is tsflux dim r - a (1-based). */
import { logsoftmax, logsumexp, maximum, mean, minimum, reshape, softmax, sum, type Tensor, type TensorLike, type DimsOptions } from "@tsflux/graph";
import { OnnxError } from "../errors";
import { attr, hostValues, normAxis, tensorOf, tsfluxDim, where, type ImportRule, type NodeInfo, type Operand } from "./context";

type Reduction = (x: TensorLike, opts?: DimsOptions) => Tensor;

/** Axes from the attribute (older opsets) or the second input (ReduceSum from 13, the others from 18). */
function axesOf(inputs: readonly (Operand | undefined)[], attrs: ReadonlyMap<string, unknown>, n: NodeInfo): number[] | undefined {
  if (attrs.has("axes")) return attrs.get("axes") as number[];
  return inputs[1] === undefined ? undefined : hostValues(inputs[1], n, "axes");
}

const reduce = (f: Reduction): ImportRule => (inputs, attrs, n) => {
  const x = tensorOf(inputs[0], n), rank = x.shape.length;
  const given = axesOf(inputs, attrs, n);
  if (given !== undefined && given.length === 0 && attr(attrs, "noop_with_empty_axes", 0) === 1) return x as Tensor;
  const axes = given === undefined || given.length === 0 ? x.shape.map((_, i) => i) : given.map((a) => normAxis(a, rank, n));
  const keep = attr(attrs, "keepdims", 1) === 1;
  if (!keep && axes.length === rank) return f(x);
  const y = f(x, { dims: axes.map((a) => tsfluxDim(a, rank)) });
  if (keep) return y;
  const kept = [...x.shape].reverse().filter((_, a) => !axes.includes(a));
  return reshape(y, kept.reverse());
};

const softmaxLike = (f: Reduction): ImportRule => ([x], attrs, n) => {
  const t = tensorOf(x, n), rank = t.shape.length;
  if (n.opset < 13 && normAxis(attr(attrs, "axis", 1), rank, n) !== rank - 1) {
    throw new OnnxError(`${where(n)}: opset ${n.opset} ${n.opType} over a flattened block is not supported; only the last axis`);
  }
  return f(t, { dims: tsfluxDim(normAxis(attr(attrs, "axis", -1), rank, n), rank) });
};

export const reduceImports: Record<string, ImportRule> = {
  ReduceSum: reduce(sum), ReduceMean: reduce(mean), ReduceMax: reduce(maximum), ReduceMin: reduce(minimum), ReduceLogSumExp: reduce(logsumexp),
  Softmax: softmaxLike(softmax), LogSoftmax: softmaxLike(logsoftmax),
};
