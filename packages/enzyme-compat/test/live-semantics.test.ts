/**
 * Every call runs the loss as written now (as Flux does): captured numbers and arrays, training modes and
 * swapped fields take effect at once, while the compiled program is found again by the trace's structure.
 * Each case is compared with a direct eager computation of the same loss.
 */
import ndarray from "ndarray";
import { sum, abs2, sub, add, mul, programTraceCount, cacheStats, setCacheLimits, clearCaches, wasmHeapStats, type Tensor, type NdArray } from "@tsflux/graph";
import { Chain, Dense, Dropout, relu, tanh, mse, trainmode, testmode } from "@tsflux/layers";
import { Duplicated, Const, gradient, withgradient } from "@tsflux/enzyme-compat";

/** A Float64 array with values from a fixed formula (independent of any RNG). */
function arr(shape: number[], k: number): NdArray<Float64Array> {
  const n = shape.reduce((a, b) => a * b, 1);
  return ndarray(Float64Array.from({ length: n }, (_, i) => Math.sin(1.7 * i + k) * 0.8), shape, shape.map((_, d) => shape.slice(0, d).reduce((a, b) => a * b, 1)));
}

function f64Model() {
  return Chain(Dense(arr([5, 4], 1), arr([5], 2), tanh), Dense(arr([3, 5], 3), arr([3], 4)));
}

const x1 = arr([4, 6], 5), y1 = arr([3, 6], 6), x2 = arr([4, 6], 7), y2 = arr([3, 6], 8);
/** The first layer's weight. */
const weightOf = (m: Chain): NdArray => (m.layers as unknown as { weight: NdArray }[])[0]!.weight;
const copyOf = (a: NdArray) => Array.from(a.data as Float64Array);

test("a captured number read afresh on every call, without a recompile", () => {
  const model = f64Model(), dup = Duplicated(model);
  let lambda = 0.1;
  const penalised = (m: Chain, x: Tensor, y: Tensor) => add(mse(m.forward(x), y), mul(lambda, sum(abs2(weightOf(m)))));
  const first = withgradient(penalised, dup, Const(x1), Const(y1));
  expect(first.val).toBeCloseTo(Number(penalised(model, x1 as never, y1 as never)), 12);
  const g1 = copyOf(weightOf(dup.dval));
  const builds = programTraceCount();
  lambda = 0.5;
  const second = withgradient(penalised, dup, Const(x1), Const(y1));
  expect(second.val).toBeCloseTo(Number(penalised(model, x1 as never, y1 as never)), 12);
  expect(second.val).not.toBeCloseTo(first.val as number, 6);
  // d/dW of λ·ΣW² is 2λW: the two gradients differ by 2·(0.5 − 0.1)·W exactly
  const g2 = copyOf(weightOf(dup.dval)), w = copyOf(weightOf(model));
  g2.forEach((g, i) => expect(g - g1[i]!).toBeCloseTo(0.8 * w[i]!, 12));
  expect(programTraceCount()).toBe(builds); // the number is a plan constant, set per call
});

test("a captured batch variable that is reassigned is used as it is now", () => {
  const model = f64Model(), dup = Duplicated(model);
  let xb = x1, yb = y1;
  const loss = (m: Chain) => mse(m.forward(xb), yb);
  const a = withgradient(loss, dup);
  expect(a.val).toBeCloseTo(Number(mse(model.forward(x1), y1)), 12);
  const builds = programTraceCount();
  xb = x2;
  yb = y2;
  const b = withgradient(loss, dup);
  expect(b.val).toBeCloseTo(Number(mse(model.forward(x2), y2)), 12);
  expect(programTraceCount()).toBe(builds);
});

test("trainmode and testmode after the first call take effect", () => {
  const model = Chain(Dense(arr([5, 4], 1), arr([5], 2), relu), Dropout(1), Dense(arr([3, 5], 3), arr([3], 4)));
  const dup = Duplicated(model);
  const eager = () => Number(mse(model.forward(x1), y1));
  testmode(model);
  const inTest = withgradient((m: Chain, x: Tensor, y: Tensor) => mse(m.forward(x), y), dup, Const(x1), Const(y1)).val as number;
  expect(inTest).toBeCloseTo(eager(), 12);
  trainmode(model); // Dropout(1) now zeroes its input: the loss only sees the last layer's bias
  const inTrain = withgradient((m: Chain, x: Tensor, y: Tensor) => mse(m.forward(x), y), dup, Const(x1), Const(y1)).val as number;
  expect(inTrain).toBeCloseTo(eager(), 12);
  expect(inTrain).not.toBeCloseTo(inTest, 6);
  expect(copyOf(weightOf(dup.dval)).every((g) => g === 0)).toBe(true); // nothing flows through the dropped layer
  testmode(model);
  expect(withgradient((m: Chain, x: Tensor, y: Tensor) => mse(m.forward(x), y), dup, Const(x1), Const(y1)).val).toBeCloseTo(inTest, 12);
});

test("a layer's activation swapped after the first call is used", () => {
  const model = f64Model(), dup = Duplicated(model);
  const loss = (m: Chain, x: Tensor, y: Tensor) => mse(m.forward(x), y);
  const before = withgradient(loss, dup, Const(x1), Const(y1)).val as number;
  (model.layers[0] as { activation: unknown }).activation = relu;
  const after = withgradient(loss, dup, Const(x1), Const(y1)).val as number;
  expect(after).toBeCloseTo(Number(mse(model.forward(x1), y1)), 12);
  expect(after).not.toBeCloseTo(before, 6);
});

test("Flux's inline style, a fresh closure every step, compiles once", () => {
  const model = f64Model(), dup = Duplicated(model);
  gradient((m: Chain) => mse(m.forward(x1), y1), dup);
  const builds = programTraceCount(), hits = cacheStats().hits;
  for (let step = 0; step < 20; step++) gradient((m: Chain) => mse(m.forward(x1), y1), dup);
  expect(programTraceCount()).toBe(builds);
  expect(cacheStats().hits - hits).toBe(20);
});

test("the cache is an LRU bounded by count; an evicted plan's arena returns to the heap", () => {
  clearCaches();
  const old = setCacheLimits({ programs: 2 });
  try {
    const model = f64Model(), dup = Duplicated(model);
    const losses = [
      (m: Chain, x: Tensor, y: Tensor) => mse(m.forward(x), y),
      (m: Chain, x: Tensor, y: Tensor) => sum(abs2(sub(m.forward(x), y))),
      (m: Chain, x: Tensor) => sum(m.forward(x)),
    ];
    for (const f of losses) gradient(f, dup, Const(x1), Const(y1));
    const stats = cacheStats();
    expect(stats.held.programs).toBe(2);
    expect(stats.evictions).toBeGreaterThanOrEqual(1);
    const used = wasmHeapStats().usedBytes;
    clearCaches();
    expect(cacheStats().held).toEqual({ programs: 0, bytes: 0 });
    expect(wasmHeapStats().usedBytes).toBeLessThanOrEqual(used);
  } finally {
    setCacheLimits(old);
  }
});

test("a cached plan keeps no model alive", async () => {
  const gc = exposeGc();
  const ref = (() => {
    const model = f64Model();
    gradient((m: Chain, x: Tensor, y: Tensor) => mse(m.forward(x), y), Duplicated(model), Const(x1), Const(y1));
    return new WeakRef(weightOf(model)); // the array a plan binds
  })();
  await new Promise((r) => setImmediate(r)); // WeakRef targets are kept until the job that made them ends
  gc();
  expect(ref.deref()).toBeUndefined();
  expect(cacheStats().held.programs).toBeGreaterThan(0);
});

/** V8's gc function, made available at run time. */
function exposeGc(): () => void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require("v8").setFlagsFromString("--expose-gc");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("vm").runInNewContext("gc") as () => void;
}
