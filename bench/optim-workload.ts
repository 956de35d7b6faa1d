/**
 * The optimiser-step workload: W2's parameters (Dense 784 => 512 => 512 => 10, 669,706 Float32 numbers)
 * and gradients from a deterministic fill, set up for a rule. `bench/optim-update.ts` times it per rule;
 * `bench/ab.mjs` times `adamStep` in two checkouts.
 */
import * as graph from "@tsflux/graph";
import { heapOffset, wrapColMajor, type NdArray } from "@tsflux/graph";
import { Adam, setup, update, type Rule } from "@tsflux/optim";

/**
 * Zeros in the WebAssembly heap, where parameters and optimiser state live: `longLivedZeros`, or
 * `zerosArray` in checkouts from before it existed (every array then lived in the heap), which
 * `bench/ab.mjs` times with this same file.
 */
const heapZeros = graph.longLivedZeros ?? graph.zerosArray;

const SHAPES: readonly (readonly number[])[] = [[512, 784], [512], [512, 512], [512], [10, 512], [10]];

/** A deterministic fill in [-0.5, 0.5) (a 32-bit LCG), so two versions see the same numbers. */
function filler(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

function makeArray(shape: readonly number[], inWasmHeap: boolean, next: () => number): NdArray {
  const n = shape.reduce((a, b) => a * b, 1);
  const a = inWasmHeap ? heapZeros(shape, "f32") : wrapColMajor(new Float32Array(n), shape);
  const data = a.data as Float32Array;
  if (inWasmHeap && heapOffset(data, 0) < 0) throw new Error("optim-workload: an array meant for the WebAssembly heap is not in it");
  for (let i = 0; i < n; i++) data[i] = next();
  return a;
}

function model(inWasmHeap: boolean, seed: number): NdArray[] {
  const next = filler(seed);
  return SHAPES.map((s) => makeArray(s, inWasmHeap, next));
}

/** One `update(state, params, grads)` of `rule` on W2's parameters, in the Wasm heap or in JS-heap arrays. */
export function optimiserStep(rule: Rule, inWasmHeap: boolean): () => void {
  const params = model(inWasmHeap, 1), grads = model(inWasmHeap, 2).map((g) => {
    (g.data as Float32Array).forEach((v, i, d) => { d[i] = v * 1e-3; });
    return g;
  });
  const state = setup(rule, params);
  return () => update(state, params, grads);
}

/** Adam with every array in the WebAssembly heap (the SIMD kernel). */
export function adamStep(): () => void {
  return optimiserStep(Adam(), true);
}
