/**
 * Conv kernels running their chunks in pairs, the second chunk's GEMM on a worker thread (woken however
 * small the call, and the caller never takes a job back here, so the worker path runs every time):
 * forward, data and filter gradients against the naive loops of conv-reference.ts, for one and many
 * samples per chunk, groups whose chunks fall into both slots (3 groups, odd chunk counts), and the
 * wide (transposed) products.
 */
import { conv, convData, convFilter, compiled, configureWasmThreads, longLivedZeros, toFlatArray, type NdArray, type Tensor } from "@tsflux/graph";
import { expectClose, mulberry32, seedFrom } from "@tsflux/graph/testing";
import { startWasmThreads, stopWasmThreads, wasmThreadStats } from "../src/kernels/wasm";
import { convDataRef, convFilterRef, convRef, type ConvSpec } from "./conv-reference";
import type { Arr } from "./reference";

const rng = mulberry32(seedFrom("conv-pairs.test"));
function heapF32(shape: number[]): NdArray {
  const a = longLivedZeros(shape, "f32"), data = a.data as Float32Array;
  for (let i = 0; i < data.length; i++) data[i] = 2 * rng() - 1;
  return a;
}
const toArr = (x: NdArray): Arr => ({ shape: [...x.shape], data: toFlatArray(x) });
const flat = (r: Tensor | NdArray) => toFlatArray("toNdarray" in r ? r.toNdarray() : r);
const spec = (over: Partial<ConvSpec>): ConvSpec => ({ stride: [1, 1], pad: [0, 0, 0, 0], dilation: [1, 1], groups: 1, flip: true, ...over });

const CASES: Array<{ label: string; x: number[]; w: number[]; spec: ConvSpec }> = [
  { label: "one sample per chunk, 5 samples (two pairs and a single)", x: [20, 20, 2, 5], w: [5, 5, 2, 6], spec: spec({}) },
  { label: "many samples per chunk (50, 50 and 30), staged rows", x: [6, 6, 1, 130], w: [3, 3, 1, 4], spec: spec({ pad: [1, 1, 1, 1] }) },
  { label: "3 groups, stride 2, cross-correlation", x: [21, 19, 6, 3], w: [3, 3, 2, 6], spec: spec({ stride: [2, 2], pad: [1, 0, 1, 0], groups: 3, flip: false }) },
  { label: "wide products (32 output channels per group, 2 groups)", x: [10, 9, 2, 2], w: [3, 3, 1, 64], spec: spec({ pad: [1, 1, 1, 1], groups: 2 }) },
];

beforeAll(async () => {
  configureWasmThreads({ threads: 2, callerSteals: false, sleepingSplitThreshold: 1 });
  expect(await startWasmThreads()).toBe(true);
});
afterAll(async () => {
  configureWasmThreads({ callerSteals: true, sleepingSplitThreshold: 8e6 });
  await stopWasmThreads();
});

test.each(CASES)("$label: conv and both adjoints against naive loops, worker GEMMs", ({ x: xs, w: ws, spec: s }) => {
  const opts = { stride: s.stride, pad: s.pad, dilation: s.dilation, groups: s.groups, flip: s.flip };
  const x = heapF32(xs), w = heapF32(ws), y = convRef(toArr(x), toArr(w), s), dy = heapF32(y.shape);
  const before = wasmThreadStats().splitCalls;
  expectClose(flat(compiled((a: Tensor, b: Tensor) => conv(a, b, opts))(x, w)), y.data, { rtol: 1e-5, atol: 1e-5 });
  const dx = flat(compiled((a: Tensor, b: Tensor) => convData(a, b, xs.slice(0, 2), opts))(dy, w));
  expectClose(dx, convDataRef(toArr(dy), toArr(w), xs, s).data, { rtol: 1e-5, atol: 1e-5 });
  const dw = flat(compiled((a: Tensor, b: Tensor) => convFilter(a, b, ws.slice(0, 2), opts))(x, dy));
  expectClose(dw, convFilterRef(toArr(x), toArr(dy), ws, s).data, { rtol: 1e-5, atol: 1e-4 });
  expect(wasmThreadStats().splitCalls).toBeGreaterThan(before);
});
