/** Reductions over axes (0-based in the IR; the public functions take Julia's 1-based dims). */
import { ShapeError } from "../errors";
import { numel, shapeStr, type Shape } from "../shape";
import { tupleStr } from "../ir/print";
import { requireFloatType } from "./validate";
import { reduceLayout, reducer, type ReduceKind } from "../kernels/reduce";
import { wasmSumMiddleF32 } from "../kernels/wasm";
import { stripsSumKernel } from "../kernels/reduce-strips";
import { heapOffset } from "../memory";
import type { KernelArgs, KernelFn, OpDef } from "./types";
import type { ValueType } from "../ir/graph";
import type { Tensor } from "../tensor";
import { mul, equal, where } from "../api/elementwise";
import { applyOp } from "./apply";
import { sumAxes, expandReduced } from "../api/reduce";
import { full, zerosLike } from "../api/creation";
import type { ReduceAttrs } from "./attrs";
export type { ReduceAttrs } from "./attrs";

export function reducedShape(shape: Shape, { axes, keepDims }: ReduceAttrs): number[] {
  return keepDims ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i));
}

export function reduceType(op: string, [x]: readonly ValueType[], attrs: ReduceAttrs): ValueType {
  requireFloatType(op, "x", x!);
  for (const a of attrs.axes) {
    if (!Number.isInteger(a) || a < 0 || a >= x!.shape.length) throw new ShapeError(`${op}: axis ${a} out of range for shape ${shapeStr(x!.shape)}`);
  }
  return { shape: reducedShape(x!.shape, attrs), dtype: x!.dtype };
}

function reduceKernel(kind: ReduceKind) {
  return ({ attrs, inputs: [x], output }: KernelArgs<ReduceAttrs>): KernelFn => {
    const layout = reduceLayout(x!.shape, attrs.axes);
    const run = reducer(kind, layout, output.dtype);
    // Float32 sums over a middle dim with at least four rows: the SIMD kernel, when both arrays are in the heap
    if (kind === "sum" && output.dtype === "f32" && layout.kind === "blocks" && layout.pre >= 4) {
      const { pre, red, post } = layout;
      return (out, [xs]) => {
        const px = heapOffset(xs!.data, xs!.offset), py = heapOffset(out.data, out.offset);
        if (px >= 0 && py >= 0) wasmSumMiddleF32(px, py, pre, red, post);
        else run(xs!.data, xs!.offset, out.data, out.offset);
      };
    }
    const plain: KernelFn = (out, [xs]) => run(xs!.data, xs!.offset, out.data, out.offset);
    // Float32 sums over the dims on both sides of a kept middle run (bias gradients): two SIMD passes
    const strips = kind === "sum" && output.dtype === "f32" && layout.kind === "map" ? stripsSumKernel(x!.shape, attrs.axes, (out, xs) => plain(out, [xs])) : undefined;
    return strips ? (out, [xs]) => strips(out, xs!) : plain;
  };
}

const reduceFlops = ({ inputs: [x] }: KernelArgs<ReduceAttrs>) => numel(x!.shape);
/** `dims=(1,)` for a reduction that keeps dims, `dims=:` for a full reduction to a scalar. */
export const printReduce = ({ axes, keepDims }: ReduceAttrs): string => (keepDims ? `dims=${tupleStr(axes.map((a) => a + 1))}` : "dims=:");

export const sumOp: OpDef<ReduceAttrs> = {
  name: "sum", arity: 1, infer: (ins, a) => reduceType("sum", ins, a), kernel: reduceKernel("sum"), flops: reduceFlops, printAttrs: printReduce,
  // d Σx = Σ dx
  jvp: (_p, [dx], attrs) => sumAxes(dx!, attrs.axes, attrs.keepDims),
  // x̄ = ȳ broadcast back over the reduced axes
  transpose: (dy, attrs, [x]) => [expandReduced(dy, x!.shape, attrs)],
};

/** 1 where x first attains the extremum y along the axes, else 0 (Julia's `findmax` picks the first of ties). */
function extremumWeights(x: Tensor, y: Tensor, attrs: ReduceAttrs): Tensor {
  const hit = applyOp("firstHit", [equal(x, expandReduced(y, x.shape, attrs))], { axes: attrs.axes });
  return where(hit, full(1, x.shape, x.dtype), zerosLike(x));
}

function extremumOp(name: "maximum" | "minimum", kind: ReduceKind): OpDef<ReduceAttrs> {
  return {
    name, arity: 1, infer: (ins, a) => reduceType(name, ins, a), kernel: reduceKernel(kind), flops: reduceFlops, printAttrs: printReduce,
    // d max(x) = Σ w dx, with w = 1 on the first element equal to the maximum
    jvp: ({ x: [x], y }, [dx], attrs) => sumAxes(mul(dx!, extremumWeights(x!, y, attrs)), attrs.axes, attrs.keepDims),
    // x̄ = w ȳ
    vjp: ({ x: [x], y }, dy, attrs) => [mul(expandReduced(dy, x!.shape, attrs), extremumWeights(x!, y, attrs))],
  };
}

export const maximumOp = extremumOp("maximum", "max");
export const minimumOp = extremumOp("minimum", "min");
