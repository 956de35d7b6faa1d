/**
 * The direct stride-1 conv kernels (kernels/conv-direct.ts): for every geometry below, conv and both
 * adjoints against the naive loops of conv-reference.ts, on one thread and with the batch shared by 2, 3
 * and 4 threads (each claims a few samples at a time; the caller waits for every worker's job). The
 * geometries cover the kernels' tails (output widths that leave 4-wide and single columns, output channel
 * blocks of 1 to 3), padding on either side of either dim (W padding through the zero-bordered copy, H
 * padding through clipped taps), padding beyond the filter, one input channel, both flip settings, a 1-d
 * conv and odd batches.
 */
import { configureWasmThreads } from "@tsflux/graph";
import { mulberry32, seedFrom } from "@tsflux/graph/testing";
import { startWasmThreads, stopWasmThreads, wasmThreadStats } from "../src/kernels/wasm";
import { directConvCalls } from "../src/kernels/conv-direct";
import { convAgainstReference } from "./conv-against-reference";
import type { ConvSpec } from "./conv-reference";

const rng = mulberry32(seedFrom("conv-direct.test"));
const spec2 = (pad: number[], flip = true): ConvSpec => ({ stride: [1, 1], pad, dilation: [1, 1], groups: 1, flip });

/** `direct`: how many of the three directions run on the direct kernels. */
const CASES: Array<{ label: string; x: number[]; w: number[]; spec: ConvSpec; direct: number }> = [
  { label: "LeNet's second layer, odd batch", x: [12, 12, 6, 3], w: [5, 5, 6, 16], spec: spec2([0, 0, 0, 0]), direct: 3 },
  { label: "width tails (11 = 8 + 3 columns), 5 output channels, cross-correlation", x: [13, 7, 4, 3], w: [3, 2, 4, 5], spec: spec2([0, 0, 0, 0], false), direct: 3 },
  { label: "asymmetric padding in both dims", x: [9, 10, 5, 2], w: [3, 3, 5, 3], spec: spec2([2, 1, 0, 2]), direct: 3 },
  { label: "padding in H only, 2 output channels", x: [7, 5, 4, 2], w: [4, 2, 4, 2], spec: spec2([0, 0, 1, 1]), direct: 3 },
  { label: "1-d, padding 2, 7 output channels", x: [20, 4, 3], w: [5, 4, 7], spec: { stride: [1], pad: [2, 2], dilation: [1], groups: 1, flip: true }, direct: 3 },
  { label: "padding beyond the filter", x: [5, 5, 4, 2], w: [2, 2, 4, 3], spec: spec2([2, 2, 2, 2], false), direct: 3 },
  { label: "one input channel", x: [6, 5, 1, 2], w: [3, 2, 1, 3], spec: spec2([1, 1, 0, 1]), direct: 3 },
];

afterAll(async () => {
  configureWasmThreads({ threads: 2, splitThreshold: 5e5, sleepingSplitThreshold: 8e6, callerSteals: true });
  await stopWasmThreads();
});

/** Runs the three directions against the naive loops; returns how many ran on the direct kernels. */
function check(xs: number[], ws: number[], s: ConvSpec): number {
  const before = directConvCalls();
  convAgainstReference(xs, ws, s, rng);
  return directConvCalls() - before;
}

describe("on one thread", () => {
  beforeAll(() => configureWasmThreads({ threads: 1 }));
  test.each(CASES)("$label: conv and both adjoints against naive loops", ({ x, w, spec, direct }) => {
    expect(check(x, w, spec)).toBe(direct);
  });
});

describe.each([2, 3, 4])("the batch shared by %i threads (the caller waits for every worker's job)", (threads) => {
  beforeAll(async () => {
    configureWasmThreads({ threads, splitThreshold: 1, sleepingSplitThreshold: 1, callerSteals: false });
    expect(await startWasmThreads()).toBe(true);
  });
  afterAll(() => stopWasmThreads());
  test.each(CASES)("$label: conv and both adjoints against naive loops", ({ x, w, spec, direct }) => {
    const splits = wasmThreadStats().splitCalls;
    expect(check(x, w, spec)).toBe(direct);
    expect(wasmThreadStats().splitCalls - splits).toBeGreaterThanOrEqual(direct * (threads - 1));
  });
});
