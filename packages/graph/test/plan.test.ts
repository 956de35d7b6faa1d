/** Compiled plans: same values as the interpreter, no allocation once warm, buffers reused, inputs bound by reference. */
import ndarray from "ndarray";
import {
  trace, compile, evaluate, vjp, matmul, add, sub, mul, sigmoid, tanh, softmax, logsumexp, sum, abs2, exp, relu,
  allocationCount, programFor, traceArrays, bindTraceArrays, traceCall, resultTensors, programTraceCount, toFlatArray, wrapColMajor,
  longLivedZeros, setWasmHeap, wasmThreadStats, heapOffset, usingWasmHeap, permutedims, Tensor, type NdArray,
} from "@tsflux/graph";
import { expectClose, mulberry32, randomArray, seedFrom } from "@tsflux/graph/testing";

const rng = mulberry32(seedFrom("plan.test"));

/** A two-layer MLP loss and its gradients with respect to all four parameters. */
function mlpStep(w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor, x: Tensor, y: Tensor): Tensor[] {
  const r = vjp((w1, b1, w2, b2) => {
    const h = sigmoid(add(matmul(w1, x), b1));
    return sum(abs2(sub(softmax(add(matmul(w2, h), b2)), y)));
  }, [w1, b1, w2, b2]);
  return [r.value, ...r.grads];
}

function mlpInputs(dtype: "f32" | "f64", batch = 5): NdArray[] {
  return [[16, 8], [16], [4, 16], [4], [8, batch], [4, batch]].map((s) => randomArray(rng, s, dtype, "unit"));
}

test("a compiled plan matches the node-by-node interpreter (Float64 to rounding, Float32 to its precision)", () => {
  for (const dtype of ["f64", "f32"] as const) {
    const inputs = mlpInputs(dtype);
    const graph = trace(mlpStep, ...inputs);
    const reference = evaluate(graph, inputs);
    const compiled = compile(graph).run(...inputs);
    // Float32 matmuls may run in the WebAssembly kernel (Float32 sums) or in JS (Float64 sums), depending
    // on where their operands live, so Float32 agrees to its own precision rather than bit for bit
    compiled.forEach((c, i) => expectClose(c, reference[i]!, { rtol: dtype === "f64" ? 1e-14 : 1e-5, atol: dtype === "f64" ? 0 : 1e-7, what: `${dtype} output ${i}` }));
  }
});

test("running a plan twice gives bit-identical results", () => {
  const inputs = mlpInputs("f32");
  const plan = compile(trace(mlpStep, ...inputs));
  const first = plan.run(...inputs).map(toFlatArray);
  const second = plan.run(...inputs).map(toFlatArray);
  expect(second).toEqual(first);
});

test("a warm plan allocates nothing: no arena, staging or result arrays over 100 runs", () => {
  const inputs = mlpInputs("f32", 32);
  const plan = compile(trace(mlpStep, ...inputs));
  inputs.forEach((a, i) => plan.bind(i, a));
  plan.execute();
  const planAllocations = plan.allocations, total = allocationCount();
  global.gc?.();
  const bytesBefore = process.memoryUsage().arrayBuffers;
  for (let step = 0; step < 100; step++) {
    inputs.forEach((a, i) => plan.bind(i, a));
    plan.execute();
  }
  expect(plan.allocations).toBe(planAllocations);
  expect(allocationCount()).toBe(total);
  expect(process.memoryUsage().arrayBuffers - bytesBefore).toBeLessThan(4096);
});

test("dead intermediates share arena space", () => {
  const x = randomArray(rng, [64, 64], "f32");
  let chain = (t: Tensor): Tensor => t;
  for (let k = 0; k < 10; k++) {
    const prev = chain;
    chain = (t: Tensor) => softmax(prev(t)); // softmax is not fused, so each step stores its result
  }
  const graph = trace((t: Tensor) => sum(chain(t)), x);
  const plan = compile(graph);
  const oneArray = 64 * 64 * 4;
  expect(plan.arenaBytes).toBeLessThanOrEqual(2 * oneArray + 128);
  expectClose(plan.run(x)[0]!, evaluate(graph, [x])[0]!, { rtol: 1e-6 });
});

test("elementwise chains fuse into one loop, with the bias read as a column", () => {
  const [w, b, x] = [randomArray(rng, [6, 5], "f64"), randomArray(rng, [6], "f64"), randomArray(rng, [5, 3], "f64")];
  const graph = trace((w: Tensor, b: Tensor, x: Tensor) => tanh(mul(relu(add(matmul(w, x), b)), 2)), w, b, x);
  const plan = compile(graph);
  const kinds = plan.steps.map((s) => (s.kind === "node" ? s.node.op : s.kind === "group" ? `fused(${s.group.members.map((m) => m.op).join("+")})` : "constant"));
  expect(kinds).toEqual(["matmul", "fused(broadcastTo+add+relu+mul+tanh)"]);
  expectClose(plan.run(w, b, x)[0]!, evaluate(graph, [w, b, x])[0]!, { rtol: 1e-15 });
});

test("inputs with any strides give the same result (gathered into a staging buffer)", () => {
  const a = randomArray(rng, [3, 4], "f64");
  const rowMajor = ndarray(new Float64Array(12), [3, 4]); // ndarray's default strides are row-major
  for (let i = 0; i < 3; i++) for (let j = 0; j < 4; j++) rowMajor.set(i, j, a.get(i, j));
  const plan = compile(trace((x: Tensor) => mul(exp(x), 3), a));
  const expected = toFlatArray(plan.run(a)[0]!);
  expect(toFlatArray(plan.run(rowMajor)[0]!)).toEqual(expected);
  expect(plan.allocations).toBe(2); // the arena, then one staging buffer, reused afterwards
  plan.run(rowMajor);
  expect(plan.allocations).toBe(2);
});

test("captured arrays are bound by reference: in-place changes are seen on the next run", () => {
  const w = wrapColMajor(new Float32Array([1, 2, 3]), [3]);
  const x = wrapColMajor(new Float32Array([1, 1, 1]), [3]);
  const plan = compile(trace((t: Tensor) => sum(mul(t, w)), x));
  expect(toFlatArray(plan.run(x)[0]!)).toEqual([6]);
  w.data[2] = 10;
  expect(toFlatArray(plan.run(x)[0]!)).toEqual([13]);
});

test("programs are found by the trace's structure; a fresh closure binds its own captured array", () => {
  const x = randomArray(rng, [4], "f64"), w = randomArray(rng, [4], "f64");
  const runTraced = (f: (t: Tensor) => Tensor) => {
    const call = traceCall(f, [x]);
    const arrays = traceArrays(call);
    const program = programFor(call, "test", () => ({ outputs: resultTensors(call.result).map((t) => t.value) }));
    bindTraceArrays(program, arrays);
    program.plan.execute();
    const value = program.plan.readScalar(0);
    program.plan.release();
    return { program, value };
  };
  const f = (t: Tensor) => sum(mul(t, w));
  const p1 = runTraced(f);
  const builds = programTraceCount();
  const again = runTraced(f);
  expect(again.program).toBe(p1.program);
  expect(programTraceCount()).toBe(builds);
  const w2 = randomArray(rng, [4], "f64");
  const g = (t: Tensor) => sum(mul(t, w2)); // same graph, another captured array
  const p2 = runTraced(g);
  expect(programTraceCount()).toBe(builds);
  expect(p2.program).toBe(p1.program);
  expect(p2.value).toBeCloseTo(toFlatArray(x).reduce((s, v, i) => s + v * w2.data[i]!, 0), 12);
  expect(runTraced(f).value).toBeCloseTo(toFlatArray(x).reduce((s, v, i) => s + v * w.data[i]!, 0), 12);
});

test("logsumexp of large values is finite (the maximum is subtracted first)", () => {
  const x = wrapColMajor(new Float32Array([1000, 1000, -1000]), [3]);
  const plan = compile(trace((t: Tensor) => logsumexp(t), x));
  expectClose(plan.run(x)[0]!, [1000 + Math.log(2)], { rtol: 1e-6 });
});

test("Float32 matmuls on arrays in the WebAssembly heap run the SIMD kernel and agree with the JS kernel", () => {
  const [m, k, n] = [37, 53, 29];
  const js = [randomArray(rng, [m, k], "f32"), randomArray(rng, [k, n], "f32")];
  const heap = js.map((a) => {
    const h = longLivedZeros(a.shape, "f32");
    (h.data as Float32Array).set(a.data as Float32Array);
    return h;
  });
  expect(heap.every((h) => heapOffset(h.data, h.offset) >= 0)).toBe(usingWasmHeap());
  expect(js.every((a) => heapOffset(a.data, a.offset) < 0)).toBe(true);
  for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
    const f = (a: Tensor, b: Tensor) => matmul(ta ? transposeT(a) : a, tb ? transposeT(b) : b, { transA: ta, transB: tb });
    const gemmRuns = wasmThreadStats().calls;
    const viaHeap = compile(trace(f, heap[0]!, heap[1]!)).run(heap[0]!, heap[1]!)[0]!;
    expect(wasmThreadStats().calls).toBeGreaterThan(gemmRuns); // the SIMD kernel ran
    const wasHeap = setWasmHeap(false);
    const viaJs = compile(trace(f, js[0]!, js[1]!)).run(js[0]!, js[1]!)[0]!;
    setWasmHeap(wasHeap);
    // Float32 sums of 53 products of values below 2 in size: rounding differences up to ~1e-4 absolute
    expectClose(viaHeap, viaJs, { rtol: 1e-5, atol: 1e-4, what: `transA=${ta} transB=${tb}` });
  }
});

/** A transposed copy, so that matmul with the transpose flag computes the same product. */
function transposeT(a: Tensor): Tensor {
  return permutedims(a, [2, 1]);
}
