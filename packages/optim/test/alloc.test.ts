/**
 * `update` allocates nothing once warm, for every rule: the graph package's typed-array counter does not
 * move, and neither do `process.memoryUsage().arrayBuffers` nor (after GC) the JS heap over many updates.
 * The model has every path update can take: dense column-major and row-major parameters, gradients in
 * another order, a non-contiguous parameter, and a tied array.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { allocationCount, type NdArray } from "@tsflux/graph";
import { Adam, OptimiserChain, ClipNorm, AccumGrad, WeightDecay, setup, update, type Rule } from "@tsflux/optim";
import { CASES } from "./cases";
import { colMajor, rng, rowMajor, strided } from "./helpers";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

const r = rng(1);
const fill = (n: number) => Array.from({ length: n }, () => r());

function makeModel() {
  const tied = colMajor(Float32Array, [16], fill(16));
  return {
    layers: [
      { weight: colMajor(Float32Array, [64, 32], fill(2048)), bias: colMajor(Float32Array, [64], fill(64)), activation: Math.tanh },
      { weight: rowMajor(Float32Array, [8, 4], fill(32)), bias: tied, activation: Math.tanh },
      { weight: strided(Float32Array, [6, 5], fill(30)), bias: tied },
    ],
  };
}

function makeGrads(): unknown {
  const g = (shape: number[]) => colMajor(Float32Array, shape, fill(shape.reduce((a, b) => a * b, 1)).map((v) => v * 0.1));
  return {
    layers: [
      { weight: g([64, 32]), bias: g([64]), activation: null },
      { weight: rowMajor(Float32Array, [8, 4], fill(32)), bias: g([16]), activation: null },
      { weight: g([6, 5]), bias: g([16]) },
    ],
  };
}

function warmState(rule: Rule) {
  const model = makeModel();
  const grads = makeGrads();
  const state = setup(rule, model);
  for (let i = 0; i < 5; i++) update(state, model, grads);
  return { model, grads, state };
}

describe.each(CASES.map((c) => [c.label, c] as const))("%s", (_label, rc) => {
  test("a warm update allocates no typed array", () => {
    const { model, grads, state } = warmState(rc.make());
    const before = allocationCount();
    for (let i = 0; i < 100; i++) update(state, model, grads);
    expect(allocationCount() - before).toBe(0);
    expect(Number.isFinite((model.layers[0]!.weight as NdArray).data[0]!)).toBe(true);
  });
});

test.each([
  ["Adam()", () => Adam()],
  ["a chain through every update path", () => OptimiserChain(ClipNorm(1), WeightDecay(), AccumGrad(2), Adam())],
])("%s: arrayBuffers and the heap do not grow over 3000 updates", (_label, make) => {
  const { model, grads, state } = warmState(make());
  for (let i = 0; i < 500; i++) update(state, model, grads);
  gc();
  const before = process.memoryUsage();
  for (let i = 0; i < 3000; i++) update(state, model, grads);
  // Without a GC in between, even garbage buffers would show: one 64-element Float32 copy per update adds 750 KiB.
  expect(process.memoryUsage().arrayBuffers - before.arrayBuffers).toBeLessThanOrEqual(0);
  gc();
  const after = process.memoryUsage();
  expect(after.arrayBuffers - before.arrayBuffers).toBeLessThanOrEqual(0);
  expect(after.heapUsed - before.heapUsed).toBeLessThan(512 * 1024);
});
