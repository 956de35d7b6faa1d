/** softmax, logsoftmax and logsumexp along axes: stable kernels, derivative rules from their outputs. */
import { numel } from "../shape";
import { reduceLayout } from "../kernels/reduce";
import { softmaxKernel, type SoftmaxKind } from "../kernels/softmax";
import { reduceType, printReduce, type ReduceAttrs } from "./reduce";
import { tupleStr } from "../ir/print";
import type { KernelArgs, KernelFn, OpDef } from "./types";
import type { ValueType } from "../ir/graph";
import { mul, sub, exp } from "../api/elementwise";
import { sumAxes, expandReduced } from "../api/reduce";
import type { SoftmaxAttrs } from "./attrs";
export type { SoftmaxAttrs } from "./attrs";

function kernelFor(kind: SoftmaxKind) {
  return ({ attrs, inputs: [x], output }: KernelArgs<SoftmaxAttrs | ReduceAttrs>): KernelFn => {
    const run = softmaxKernel(kind, reduceLayout(x!.shape, attrs.axes), output.dtype);
    return (out, [xs]) => run(xs!.data, xs!.offset, out.data, out.offset);
  };
}

const flops = ({ inputs: [x] }: KernelArgs<unknown>) => 4 * numel(x!.shape);
const sameType = (op: string) => (ins: readonly ValueType[], { axes }: SoftmaxAttrs) => {
  reduceType(op, ins, { axes, keepDims: true });
  return { shape: ins[0]!.shape, dtype: ins[0]!.dtype };
};
const printAxes = ({ axes }: SoftmaxAttrs) => `dims=${tupleStr(axes.map((a) => a + 1))}`;
const keep = (axes: readonly number[]): ReduceAttrs => ({ axes, keepDims: true });

export const softmaxOp: OpDef<SoftmaxAttrs> = {
  name: "softmax", arity: 1, infer: sameType("softmax"), kernel: kernelFor("softmax"), flops, printAttrs: printAxes,
  // d softmax(x) = y (dx - Σ y dx)
  jvp: ({ y }, [dx], { axes }) => mul(y, sub(dx!, expandReduced(sumAxes(mul(y, dx!), axes, true), y.shape, keep(axes)))),
  // x̄ = y (ȳ - Σ y ȳ)
  vjp: ({ y }, dy, { axes }) => [mul(y, sub(dy, expandReduced(sumAxes(mul(y, dy), axes, true), y.shape, keep(axes))))],
};

export const logsoftmaxOp: OpDef<SoftmaxAttrs> = {
  name: "logsoftmax", arity: 1, infer: sameType("logsoftmax"), kernel: kernelFor("logsoftmax"), flops, printAttrs: printAxes,
  // d logsoftmax(x) = dx - Σ exp(y) dx
  jvp: ({ y }, [dx], { axes }) => sub(dx!, expandReduced(sumAxes(mul(exp(y), dx!), axes, true), y.shape, keep(axes))),
  // x̄ = ȳ - exp(y) Σ ȳ
  vjp: ({ y }, dy, { axes }) => [sub(dy, mul(exp(y), expandReduced(sumAxes(dy, axes, true), y.shape, keep(axes))))],
};

export const logsumexpOp: OpDef<ReduceAttrs> = {
  name: "logsumexp", arity: 1, infer: (ins, a) => reduceType("logsumexp", ins, a), kernel: kernelFor("logsumexp"), flops,
  printAttrs: printReduce,
  // d logsumexp(x) = Σ exp(x - y) dx
  jvp: ({ x: [x], y }, [dx], attrs) => sumAxes(mul(dx!, exp(sub(x!, expandReduced(y, x!.shape, attrs)))), attrs.axes, attrs.keepDims),
  // x̄ = ȳ exp(x - y)   (the softmax of x)
  vjp: ({ x: [x], y }, dy, attrs) => [mul(expandReduced(dy, x!.shape, attrs), exp(sub(x!, expandReduced(y, x!.shape, attrs))))],
};
