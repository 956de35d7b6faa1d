/**
 * The Float32 WebAssembly max-pooling passes (forward value, gather through the first maximum, scatter
 * of dy to it) against the naive window loops of conv-reference.ts, over geometries that exercise the
 * SIMD middle of a row (stride 1, 2 and 3, overlapping windows), its clipped edges (padding, windows
 * reading only padding), one to three spatial dims, and ties, -Inf and NaN in the data; the 2x2 stride-2
 * cases run on the dedicated kernels (kernels/pool-2x2.ts), even and odd sizes.
 */
import { applyOp, compiled, configureWasmThreads, longLivedZeros, toFlatArray, wasmAvailable, type NdArray, type Tensor } from "@tsflux/graph";
import { expectClose, mulberry32, seedFrom } from "@tsflux/graph/testing";
import { startWasmThreads, stopWasmThreads, wasmThreadStats } from "../src/kernels/wasm";
import { maxpoolGatherRef, maxpoolRef, maxpoolScatterRef, type PoolSpec } from "./conv-reference";
import type { Arr } from "./reference";

const rng = mulberry32(seedFrom("pool-max-wasm.test"));

/** A Float32 heap array; `special` sprinkles ties (rounded values), -Infinity and NaN. */
function heapF32(shape: number[], special: boolean): NdArray {
  const a = longLivedZeros(shape, "f32"), data = a.data as Float32Array;
  for (let i = 0; i < data.length; i++) {
    const u = rng();
    data[i] = !special ? 2 * rng() - 1 : u < 0.1 ? -Infinity : u < 0.15 ? NaN : Math.round(4 * rng()) / 4;
  }
  return a;
}
/** NNlib's floor for Float32: -floatmax(Float32) (the reference's Float64 floor rounds to -Inf). */
const F32_FLOOR = -3.4028234663852886e38;
const toArr = (x: NdArray): Arr => ({ shape: [...x.shape], data: toFlatArray(x) });

const GEOMETRIES: Array<{ label: string; x: number[]; spec: PoolSpec }> = [
  { label: "2x2, stride 2 (LeNet)", x: [24, 24, 3, 2], spec: { window: [2, 2], stride: [2, 2], pad: [0, 0, 0, 0] } },
  { label: "2x2, stride 2, odd width and height (single windows after the fours; last row and column dropped)", x: [19, 13, 2, 2], spec: { window: [2, 2], stride: [2, 2], pad: [0, 0, 0, 0] } },
  { label: "2x1, stride (2, 1), pad (1, 0): two-wide windows at an odd start, odd width", x: [19, 3, 2, 2], spec: { window: [2, 1], stride: [2, 1], pad: [1, 0, 0, 0] } },
  { label: "3x3, stride 1, pad 1 (overlapping, clipped edges)", x: [13, 9, 2, 2], spec: { window: [3, 3], stride: [1, 1], pad: [1, 1, 1, 1] } },
  { label: "3x2, stride (3, 2), pad (2, 0, 1, 1)", x: [17, 8, 2, 1], spec: { window: [3, 2], stride: [3, 2], pad: [2, 0, 1, 1] } },
  { label: "windows reading only padding", x: [6, 5, 1, 2], spec: { window: [2, 2], stride: [2, 2], pad: [3, 3, 2, 2] } },
  { label: "1-d, window 4, stride 2", x: [23, 3, 2], spec: { window: [4], stride: [2], pad: [1, 2] } },
  { label: "3-d, 2x2x2, stride 2, pad 1", x: [9, 6, 5, 2, 1], spec: { window: [2, 2, 2], stride: [2, 2, 2], pad: [1, 0, 1, 1, 0, 1] } },
  { label: "window wider than the data", x: [3, 4, 1, 1], spec: { window: [5, 2], stride: [1, 2], pad: [1, 1, 0, 0] } },
];

/** The op run through a compiled plan, whose arena is in the heap: the Float32 Wasm path. */
function run(op: "maxpool" | "maxpoolGather" | "maxpoolScatter", inputs: NdArray[], spec: PoolSpec): Arr {
  const r = compiled((...ts: Tensor[]) => applyOp(op, ts, spec))(...inputs) as Tensor | NdArray;
  return toArr("toNdarray" in r ? r.toNdarray() : r);
}

/** Forward, gather and scatter of heap data of `shape` (ties, -Inf and NaN when `special`) against the naive loops. */
function checkPooling(shape: number[], spec: PoolSpec, special: boolean): void {
  expect(wasmAvailable()).toBe(true);
  const x = heapF32(shape, special), v = heapF32(shape, false);
  const y = maxpoolRef(toArr(x), spec);
  const dy = longLivedZeros(y.shape, "f32");
  (dy.data as Float32Array).set(y.data.map(() => 2 * rng() - 1));
  expect(run("maxpool", [x], spec)).toEqual({ shape: y.shape, data: y.data.map((e) => (e === -Number.MAX_VALUE ? F32_FLOOR : e)) });
  expect(run("maxpoolGather", [v, x], spec)).toEqual(maxpoolGatherRef(toArr(v), toArr(x), spec));
  const scattered = run("maxpoolScatter", [dy, x], spec), ref = maxpoolScatterRef(toArr(dy), toArr(x), spec);
  expect(scattered.shape).toEqual(ref.shape);
  expectClose(scattered.data, ref.data, { rtol: 1e-6, atol: 1e-6 });
}

describe.each(GEOMETRIES)("Float32 max pooling in Wasm: $label", ({ x: shape, spec }) => {
  test.each([false, true])("forward, gather and scatter against naive loops (ties, -Inf and NaN: %s)", (special) => checkPooling(shape, spec, special));
});

describe.each([2, 3])("2x2 pooling with the planes shared by %i threads (the caller waits for every worker's job)", (threads) => {
  beforeAll(async () => {
    configureWasmThreads({ threads, splitThreshold: 1, sleepingSplitThreshold: 1, callerSteals: false });
    expect(await startWasmThreads()).toBe(true);
  });
  afterAll(async () => {
    configureWasmThreads({ threads: 2, splitThreshold: 5e5, sleepingSplitThreshold: 8e6, callerSteals: true });
    await stopWasmThreads();
  });
  test.each([[24, 24, 3, 2], [19, 13, 2, 2]])("data %p against naive loops, and the worker took jobs", (...shape) => {
    const splits = wasmThreadStats().splitCalls;
    checkPooling(shape, { window: [2, 2], stride: [2, 2], pad: [0, 0, 0, 0] }, true);
    expect(wasmThreadStats().splitCalls - splits).toBeGreaterThanOrEqual(2 * (threads - 1));
  });
});
