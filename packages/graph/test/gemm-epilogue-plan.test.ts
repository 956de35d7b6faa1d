// Dense-layer fusion in compiled plans (exec/gemm-epilogue.ts): act(matmul(W, x) .+ b) becomes one GEMM
// step with the bias and activation in its store. Its values are checked against a float64 loop written
// here, and bit for bit against the unfused plan of the same graph (the matmul output kept as a second
// output, which stops the fusion), on the Wasm path (one and two threads) and the plain JS path.
import { trace, compile, matmul, add, relu, tanh, mul, setWasmHeap, setDenseFusion, configureWasmThreads, type Tensor, type NdArray } from "@tsflux/graph";
import { mulberry32, randomArray, seedFrom } from "@tsflux/graph/testing";
import { availableParallelism } from "node:os";
import { startWasmThreads, stopWasmThreads, wasmThreadCount, wasmThreadStats } from "../src/kernels/wasm";

const rng = mulberry32(seedFrom("gemm-epilogue-plan.test"));
const { abs, max } = Math;

type Act = "identity" | "relu";
const applyAct = (act: Act, t: Tensor): Tensor => (act === "relu" ? relu(t) : t);

/** W (m x k, or k x m when transA), x (k x n), b (m): the traced Dense layer returns [y, W*x]. */
function denseCase(m: number, k: number, n: number, transA: boolean) {
  const inputs = [randomArray(rng, transA ? [k, m] : [m, k], "f32", "unit"), randomArray(rng, [k, n], "f32", "unit"), randomArray(rng, [m], "f32", "unit")];
  return inputs;
}

/** act(op(W) x + b) in float64, with the sum of |terms| per element for the tolerance. */
function naiveDense(act: Act, transA: boolean, [W, x, b]: NdArray[], m: number, k: number, n: number) {
  const w = W!.data, xs = x!.data, bs = b!.data;
  const y = new Float64Array(m * n), mag = new Float64Array(m * n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < m; i++) {
      let s = bs[i]!, t = abs(bs[i]!);
      for (let p = 0; p < k; p++) {
        const v = (transA ? w[p + i * k]! : w[i + p * m]!) * xs[p + j * k]!;
        s += v;
        t += abs(v);
      }
      y[i + j * m] = act === "relu" && s < 0 ? 0 : s;
      mag[i + j * m] = t;
    }
  }
  return { y, mag };
}

/** Runs the fused and the unfused plan of one Dense case and checks both comparisons. */
function checkDense(act: Act, m: number, k: number, n: number, transA: boolean): void {
  const inputs = denseCase(m, k, n, transA);
  const graph = trace((w: Tensor, x: Tensor, b: Tensor) => {
    const c = matmul(w, x, { transA });
    return [applyAct(act, add(c, b)), c];
  }, ...inputs);
  const fusedPlan = compile(graph, [graph.outputs[0]!]);
  const unfusedPlan = compile(graph);
  expect(fusedPlan.steps.filter((s) => s.kind === "gemmEpilogue")).toHaveLength(1);
  expect(fusedPlan.steps.some((s) => s.kind === "node" && s.node.op === "matmul")).toBe(false);
  expect(unfusedPlan.steps.some((s) => s.kind === "gemmEpilogue")).toBe(false);
  const fused = fusedPlan.run(...inputs)[0]!.data;
  const unfused = unfusedPlan.run(...inputs)[0]!.data;
  const { y, mag } = naiveDense(act, transA, inputs, m, k, n);
  let worst = 0;
  for (let i = 0; i < m * n; i++) {
    if (!Object.is(fused[i], unfused[i])) throw new Error(`${act} ${m}x${k}x${n}: element ${i} fused ${fused[i]} != unfused ${unfused[i]}`);
    worst = max(worst, abs(fused[i]! - y[i]!) / (mag[i]! + 1e-30));
  }
  if (!(worst <= 1e-5)) throw new Error(`${act} ${m}x${k}x${n}: relative error ${worst} against float64`);
  fusedPlan.dispose();
  unfusedPlan.dispose();
}

const SHAPES: Array<[number, number, number, boolean]> = [[1, 1, 1, false], [7, 5, 3, false], [16, 8, 5, true], [33, 300, 9, false], [10, 20, 130, true]];

describe("Dense fusion: matmul + broadcast bias (+ relu) as one GEMM with an epilogue", () => {
  afterAll(async () => {
    configureWasmThreads({ splitThreshold: 5e5, sleepingSplitThreshold: 8e6, callerSteals: true });
    await stopWasmThreads();
  });

  for (const act of ["identity", "relu"] as const) {
    test(`${act}: Wasm path, bit-identical to the unfused plan and within 1e-5 of float64`, () => {
      for (const [m, k, n, t] of SHAPES) checkDense(act, m, k, n, t);
    });

    test(`${act}: plain JS path (no Wasm heap), bit-identical to the unfused plan`, () => {
      const old = setWasmHeap(false);
      try {
        for (const [m, k, n, t] of SHAPES) checkDense(act, m, k, n, t);
      } finally {
        setWasmHeap(old);
      }
    });
  }

  test("two threads: each runs the epilogue on its part of C", async () => {
    expect(await startWasmThreads()).toBe(true);
    configureWasmThreads({ splitThreshold: 0, sleepingSplitThreshold: 0, callerSteals: false });
    const before = wasmThreadStats().splitCalls;
    checkDense("relu", 96, 64, 80, false);
    checkDense("identity", 64, 40, 200, true);
    expect(wasmThreadStats().splitCalls).toBeGreaterThan(before);
  });

  test("four threads (three workers, a 2 x 2 grid of C): every part runs, with the epilogue", async () => {
    configureWasmThreads({ threads: 4, splitThreshold: 0, sleepingSplitThreshold: 0, callerSteals: false });
    try {
      expect(await startWasmThreads()).toBe(true);
      expect(wasmThreadCount()).toBe(4);
      const before = wasmThreadStats();
      checkDense("relu", 96, 64, 80, false);
      checkDense("identity", 200, 33, 64, true);
      const after = wasmThreadStats();
      expect(after.splitCalls).toBeGreaterThan(before.splitCalls);
      expect(after.lateHalves).toBe(before.lateHalves); // the workers did their parts (callerSteals: false)
    } finally {
      configureWasmThreads({ threads: availableParallelism() });
    }
  });

  test("not fused: a second reader of the matmul, another activation, a Float64 graph, a bias along columns, fusion off", () => {
    const [W, x, b] = denseCase(6, 4, 3, false);
    const kinds = (f: (w: Tensor, x: Tensor, b: Tensor) => Tensor, ...args: NdArray[]) =>
      compile(trace(f, ...args)).steps.map((s) => s.kind);
    expect(kinds((w, xx, bb) => relu(add(matmul(w, xx), bb)), W!, x!, b!)).toContain("gemmEpilogue");
    expect(kinds((w, xx, bb) => { const c = matmul(w, xx); return mul(relu(add(c, bb)), c); }, W!, x!, b!)).not.toContain("gemmEpilogue");
    expect(kinds((w, xx, bb) => tanh(add(matmul(w, xx), bb)), W!, x!, b!)).not.toContain("gemmEpilogue");
    const f64 = [randomArray(rng, [6, 4], "f64"), randomArray(rng, [4, 3], "f64"), randomArray(rng, [6], "f64")];
    expect(kinds((w, xx, bb) => relu(add(matmul(w, xx), bb)), ...f64)).not.toContain("gemmEpilogue");
    const rowBias = randomArray(rng, [1, 3], "f32");
    expect(kinds((w, xx, bb) => add(matmul(w, xx), bb), W!, x!, rowBias)).not.toContain("gemmEpilogue");
    const old = setDenseFusion(false);
    try {
      expect(kinds((w, xx, bb) => relu(add(matmul(w, xx), bb)), W!, x!, b!)).not.toContain("gemmEpilogue");
    } finally {
      setDenseFusion(old);
    }
  });
});
