/**
 * Fused Float32 loops run in WebAssembly SIMD when their arrays live in the heap. Every SIMD-able op is
 * checked against the JS loop of the same plan, bit for bit, on values that include NaN, ±0 and ±Inf,
 * with lengths that leave a scalar tail, and with column, row and scalar broadcasts.
 */
import {
  trace, compile, zerosArray, longLivedZeros, setWasmHeap, wrapColMajor, toFlatArray, fusedWasmRuns, usingWasmHeap, SIMD_OPS,
  add, sub, mul, div, max, min, neg, abs, sqrt, abs2, relu, where, less, lessEqual, greater, greaterEqual, equal, notEqual, assign, addAssign, mulAssign, fill, copy, sum,
  type Tensor, type NdArray,
} from "@tsflux/graph";

/** One test function per SIMD op (comparisons feed a `where`, since a loop's outputs are Float32). */
const CASES: Record<string, (a: Tensor, b: Tensor) => Tensor> = {
  add, sub, mul, div, max, min,
  neg: (a) => neg(a), abs: (a) => abs(a), sqrt: (a) => sqrt(abs(a)), abs2: (a) => abs2(a), relu: (a) => relu(a),
  less: (a, b) => where(less(a, b), a, b), lessEqual: (a, b) => where(lessEqual(a, b), a, b),
  greater: (a, b) => where(greater(a, b), a, b), greaterEqual: (a, b) => where(greaterEqual(a, b), a, b),
  equal: (a, b) => where(equal(a, b), a, b), notEqual: (a, b) => where(notEqual(a, b), a, b),
  where: (a, b) => where(greater(a, 0.25), mul(a, b), sub(a, b)),
  assign: (a, b) => { const t = copy(a); assign(t, mul(b, 2)); return add(t, a); },
  addAssign: (a, b) => { const t = mul(a, 1.5); addAssign(t, b); return t; },
  mulAssign: (a, b) => { const t = mul(a, 1.5); mulAssign(t, b); return t; },
  fill: (a, b) => { const t = mul(a, b); fill(t, 0.5); return add(t, a); },
  astype: (a, b) => add(a, b),
  broadcastTo: (a, b) => add(a, b),
};

const SPECIAL = [NaN, 0, -0, Infinity, -Infinity, 1, -1, 0.5, 1e-40, -3.25, 7];

function values(n: number, seed: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => (i < SPECIAL.length && seed === 1 ? SPECIAL[i]! : Math.sin(i * 12.9898 + seed) * 4));
}

function inHeap(shape: number[], data: Float32Array): NdArray {
  const a = longLivedZeros(shape, "f32");
  (a.data as Float32Array).set(data);
  return a;
}

const bits = (a: NdArray) => Array.from(new Uint32Array(Float32Array.from(toFlatArray(a)).buffer));

test("every SIMD op has a case here", () => {
  expect(usingWasmHeap()).toBe(true);
  expect(Object.keys(CASES).sort()).toEqual([...SIMD_OPS].sort());
});

describe.each([
  ["flat, with a scalar tail", [5, 7], [5, 7]],
  ["column broadcast", [13, 6], [13]],
  ["row broadcast", [7, 9], [1, 9]],
  ["scalar broadcast", [3, 11], [1]],
] as const)("%s", (_label, shapeA, shapeB) => {
  test.each(Object.keys(CASES))("%s: Wasm equals the JS loop bit for bit", (name) => {
    const f = CASES[name]!;
    const na = (shapeA as readonly number[]).reduce((p, d) => p * d, 1), nb = (shapeB as readonly number[]).reduce((p, d) => p * d, 1);
    const [va, vb] = [values(na, 1), values(nb, 2)];
    const graph = trace(f, zerosArray([...shapeA], "f32"), zerosArray([...shapeB], "f32"));
    const plan = compile(graph);
    const before = fusedWasmRuns();
    const viaWasm = plan.run(inHeap([...shapeA], va), inHeap([...shapeB], vb))[0]!;
    expect(fusedWasmRuns()).toBeGreaterThan(before);
    const runsAfterWasm = fusedWasmRuns();
    const wasHeap = setWasmHeap(false);
    const jsPlan = compile(graph); // compiled without the heap: JS loops only
    setWasmHeap(wasHeap);
    const viaJs = jsPlan.run(wrapColMajor(va, [...shapeA]), wrapColMajor(vb, [...shapeB]))[0]!;
    expect(fusedWasmRuns()).toBe(runsAfterWasm); // the JS loop ran
    expect(bits(viaWasm)).toEqual(bits(viaJs));
  });
});

test.each([
  ["bias gradient [512, 128], dims=2", [512, 128], [2]],
  ["odd rows [13, 7, 3], dims=2", [13, 7, 3], [2]],
  ["dims=(2, 3) of [6, 4, 5]", [6, 4, 5], [2, 3]],
] as const)("Float32 sum over %s: the Wasm kernel equals the JS kernel bit for bit", (_label, shape, dims) => {
  const n = (shape as readonly number[]).reduce((p, d) => p * d, 1);
  const v = values(n, 3);
  const eager = (x: NdArray) => sum(x, { dims: [...dims] }).toNdarray();
  expect(bits(eager(inHeap([...shape], v)))).toEqual(bits(eager(wrapColMajor(v, [...shape]))));
});
