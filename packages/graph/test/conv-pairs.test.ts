/**
 * Conv kernels (im2col + GEMM; the direct kernels are switched off here) running their chunks in pairs, the second chunk's GEMM on a worker thread (woken however
 * small the call, and the caller never takes a job back here, so the worker path runs every time):
 * forward, data and filter gradients against the naive loops of conv-reference.ts, for one and many
 * samples per chunk, groups whose chunks fall into both slots (3 groups, odd chunk counts), and the
 * wide (transposed) products.
 */
import { configureWasmThreads, setDirectConv } from "@tsflux/graph";
import { mulberry32, seedFrom } from "@tsflux/graph/testing";
import { startWasmThreads, stopWasmThreads, wasmThreadStats } from "../src/kernels/wasm";
import { convAgainstReference } from "./conv-against-reference";
import type { ConvSpec } from "./conv-reference";

const rng = mulberry32(seedFrom("conv-pairs.test"));
const spec = (over: Partial<ConvSpec>): ConvSpec => ({ stride: [1, 1], pad: [0, 0, 0, 0], dilation: [1, 1], groups: 1, flip: true, ...over });

const CASES: Array<{ label: string; x: number[]; w: number[]; spec: ConvSpec }> = [
  { label: "one sample per chunk, 5 samples (two pairs and a single)", x: [20, 20, 2, 5], w: [5, 5, 2, 6], spec: spec({}) },
  { label: "many samples per chunk (50, 50 and 30), staged rows", x: [6, 6, 1, 130], w: [3, 3, 1, 4], spec: spec({ pad: [1, 1, 1, 1] }) },
  { label: "3 groups, stride 2, cross-correlation", x: [21, 19, 6, 3], w: [3, 3, 2, 6], spec: spec({ stride: [2, 2], pad: [1, 0, 1, 0], groups: 3, flip: false }) },
  { label: "wide products (32 output channels per group, 2 groups)", x: [10, 9, 2, 2], w: [3, 3, 1, 64], spec: spec({ pad: [1, 1, 1, 1], groups: 2 }) },
];

let directWas = true;
beforeAll(async () => {
  directWas = setDirectConv(false);
  configureWasmThreads({ threads: 2, callerSteals: false, sleepingSplitThreshold: 1 });
  expect(await startWasmThreads()).toBe(true);
});
afterAll(async () => {
  setDirectConv(directWas);
  configureWasmThreads({ callerSteals: true, sleepingSplitThreshold: 8e6 });
  await stopWasmThreads();
});

test.each(CASES)("$label: conv and both adjoints against naive loops, worker GEMMs", ({ x: xs, w: ws, spec: s }) => {
  const before = wasmThreadStats().splitCalls;
  convAgainstReference(xs, ws, s, rng);
  expect(wasmThreadStats().splitCalls).toBeGreaterThan(before);
});
