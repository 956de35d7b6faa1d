/**
 * Fused groups stay within MAX_GROUP_INPUTS outside operands and MAX_GROUP_MEMBERS members, so a long
 * elementwise chain (a sum of a thousand arrays, a deep chain of unary ops) compiles, also to Wasm, whose
 * functions take at most 1000 parameters, and computes the same values as a plain loop.
 */
import { trace, compile, add, mul, neg, longLivedZeros, toFlatArray, usingWasmHeap, fusedWasmRuns, type Tensor, type NdArray } from "@tsflux/graph";
import { schedule } from "../src/exec/schedule";
import { MAX_GROUP_INPUTS, MAX_GROUP_MEMBERS } from "../src/exec/fusion";

function heapArray(n: number, at: (i: number) => number): NdArray {
  const a = longLivedZeros([n], "f32");
  for (let i = 0; i < n; i++) (a.data as Float32Array)[a.offset + i] = at(i);
  return a;
}

function groupSizes(graph: ReturnType<typeof trace>) {
  return schedule(graph, graph.outputs).steps.flatMap((s) => (s.kind === "group" ? [{ inputs: s.group.inputs.length, members: s.group.members.length }] : []));
}

test("a sum of 1100 arrays is split into groups of at most MAX_GROUP_INPUTS inputs and runs in Wasm", () => {
  expect(usingWasmHeap()).toBe(true);
  const count = 1100, n = 7;
  const xs = Array.from({ length: count }, (_, k) => heapArray(n, (i) => Math.sin(k * 7 + i) * 3));
  const graph = trace((...ts: Tensor[]) => ts.reduce((acc, t) => add(acc, t)), ...xs);
  const sizes = groupSizes(graph);
  expect(sizes.length).toBeGreaterThan(count / MAX_GROUP_INPUTS);
  for (const s of sizes) expect(s.inputs).toBeLessThanOrEqual(MAX_GROUP_INPUTS);
  const before = fusedWasmRuns();
  const [y] = compile(graph).run(...xs);
  expect(fusedWasmRuns() - before).toBe(sizes.length);
  const expected = Array.from({ length: n }, (_, i) => xs.reduce((acc, x) => Math.fround(acc + (x.data as Float32Array)[x.offset + i]!), 0));
  expect(Array.from(toFlatArray(y!))).toEqual(expected);
});

test("a chain of 600 unary and scalar ops is split into groups of at most MAX_GROUP_MEMBERS members", () => {
  const n = 9, depth = 600;
  const x = heapArray(n, (i) => i - 4);
  const graph = trace((t: Tensor) => {
    let y = t;
    for (let k = 0; k < depth; k++) y = k % 2 === 0 ? neg(y) : mul(y, 1.0009765625);
    return y;
  }, x);
  const sizes = groupSizes(graph);
  for (const s of sizes) expect(s.members).toBeLessThanOrEqual(MAX_GROUP_MEMBERS);
  expect(sizes.reduce((a, s) => a + s.members, 0)).toBe(depth);
  const [y] = compile(graph).run(x);
  const expected = Array.from({ length: n }, (_, i) => {
    let v = i - 4;
    for (let k = 0; k < depth; k++) v = k % 2 === 0 ? -v : Math.fround(v * 1.0009765625);
    return v;
  });
  expect(Array.from(toFlatArray(y!))).toEqual(expected);
});
