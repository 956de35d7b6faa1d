/**
 * Relu's derivative fused into 2x2 max pooling's adjoint (exec/pool-relu-adjoint.ts): the backward graph
 * of maxpool(relu(x)) compiles to one fused step, and its gradient equals where(y > 0, scatter(dy, y), 0)
 * computed by naive loops, exactly, on data with negatives, zeros and ties, for even and odd sizes;
 * pooling the fused kernel does not serve (3x3 windows) keeps its two steps and the same values.
 */
import { compile, longLivedZeros, maxpool, relu, toFlatArray, trace, vjp, type NdArray, type Tensor } from "@tsflux/graph";
import { mulberry32, seedFrom } from "@tsflux/graph/testing";
import { maxpoolScatterRef, type PoolSpec } from "./conv-reference";

const rng = mulberry32(seedFrom("pool-relu-adjoint.test"));

/** Heap Float32 data: a third negative, a sixth exactly 0, the rest multiples of 1/4 (ties). */
function heapData(shape: number[]): NdArray {
  const a = longLivedZeros(shape, "f32"), data = a.data as Float32Array;
  for (let i = 0; i < data.length; i++) {
    const u = rng();
    data[i] = u < 0.33 ? -rng() : u < 0.5 ? 0 : Math.round(8 * rng()) / 4;
  }
  return a;
}

const CASES: Array<{ label: string; x: number[]; window: number[]; fused: boolean }> = [
  { label: "2x2, even sizes", x: [8, 6, 3, 2], window: [2, 2], fused: true },
  { label: "2x2, odd width and height", x: [9, 7, 2, 3], window: [2, 2], fused: true },
  { label: "3x3 windows (not the 2x2 kernels: two steps)", x: [9, 6, 2, 2], window: [3, 3], fused: false },
];

test.each(CASES)("$label: the gradient of maxpool(relu(x)) against naive loops", ({ x: shape, window, fused }) => {
  const x = heapData(shape), ys = shape.map((d, i) => (i < 2 ? Math.floor(d / window[i]!) : d));
  const dy = heapData(ys);
  const plan = compile(trace((a: Tensor, d: Tensor) => vjp((t: Tensor) => maxpool(relu(t), window), [a], d).grads[0]!, x, dy));
  expect(plan.steps.some((s) => s.kind === "poolReluAdjoint")).toBe(fused);
  const got = toFlatArray(plan.run(x, dy)[0]!);
  const y = toFlatArray(x).map((v) => (v < 0 ? 0 : v));
  const spec: PoolSpec = { window, stride: window, pad: [0, 0, 0, 0] };
  const scattered = maxpoolScatterRef({ shape: ys, data: toFlatArray(dy) }, { shape, data: y }, spec).data;
  expect(got).toEqual(scattered.map((s, i) => (y[i]! > 0 ? s : 0)));
});
