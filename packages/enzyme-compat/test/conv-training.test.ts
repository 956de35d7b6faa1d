/**
 * Convolutional training: BatchNorm's running statistics in trainmode, testmode and the automatic mode
 * inside `gradient` (against statistics computed by hand), Dropout's automatic mode, and a LeNet-5
 * training step that traces once and allocates nothing when warm.
 */
import { allocationCount, programTraceCount, seed, sum, toFlatArray, wrapColMajor, type NdArray, type Tensor } from "@tsflux/graph";
import { expectClose } from "@tsflux/graph/testing";
import {
  BatchNorm, Chain, Conv, Dense, Dropout, MaxPool, flatten, logitcrossentropy, onehotbatch, randn32, relu, testmode, trainmode,
} from "@tsflux/layers";
import { setup, update, Adam } from "@tsflux/optim";
import { Const, Duplicated, gradient, withgradient } from "@tsflux/enzyme-compat";

/** x: [2, 2 channels, 3 samples] in WCN with known values. */
const x = wrapColMajor(Float32Array.from([1, 2, 3, 5, 0, 4, -1, 1, 2, 2, 6, 0]), [2, 2, 3]);

/** Per-channel batch mean and unbiased variance of x over W and N, computed by hand. */
function batchStats(): { mean: number[]; unbiased: number[] } {
  const v = toFlatArray(x);
  const channel = (c: number) => [0, 1, 2].flatMap((n) => [v[0 + 2 * c + 4 * n]!, v[1 + 2 * c + 4 * n]!]);
  return [0, 1].reduce((acc, c) => {
    const xs = channel(c), m = xs.reduce((a, b) => a + b, 0) / xs.length;
    acc.mean.push(m);
    acc.unbiased.push(xs.reduce((a, b) => a + (b - m) ** 2, 0) / (xs.length - 1));
    return acc;
  }, { mean: [] as number[], unbiased: [] as number[] });
}

const loss = (m: { forward(t: Tensor): Tensor }, t: Tensor) => sum(m.forward(t));
const read = (a: NdArray | null) => toFlatArray(a!);

describe("BatchNorm's running statistics (momentum 0.1, unbiased variance)", () => {
  const { mean, unbiased } = batchStats();
  const after = (k: number) => ({
    mu: mean.map((m) => 0.9 ** k * 0 + (1 - 0.9 ** k) * m),
    sigma2: unbiased.map((s) => 0.9 ** k * 1 + (1 - 0.9 ** k) * s),
  });

  test("automatic mode: updated once per gradient call, untouched by a plain forward call", () => {
    const bn = BatchNorm(2);
    bn.forward(x);
    expect([read(bn.mu), read(bn.sigma2)]).toEqual([[0, 0], [1, 1]]);
    gradient(loss, Duplicated(bn), Const(x));
    expectClose(read(bn.mu), after(1).mu, { rtol: 1e-6, atol: 1e-6 });
    expectClose(read(bn.sigma2), after(1).sigma2, { rtol: 1e-6, atol: 1e-6 });
    gradient(loss, Duplicated(bn), Const(x)); // the second call runs the compiled plan
    expectClose(read(bn.mu), after(2).mu, { rtol: 1e-6, atol: 1e-6 });
    expectClose(read(bn.sigma2), after(2).sigma2, { rtol: 1e-6, atol: 1e-6 });
    bn.forward(x);
    expectClose(read(bn.mu), after(2).mu, { rtol: 1e-6, atol: 1e-6 });
  });

  test("trainmode: a plain forward call updates them too, and normalises with the batch statistics", () => {
    const bn = trainmode(BatchNorm(2));
    const y = toFlatArray(bn.forward(x).toNdarray());
    expectClose(read(bn.mu), after(1).mu, { rtol: 1e-6, atol: 1e-6 });
    const biased = unbiased.map((s) => (s * 5) / 6);
    const v = toFlatArray(x);
    expectClose(y, v.map((xi, i) => (xi - mean[Math.floor(i / 2) % 2]!) / Math.sqrt(biased[Math.floor(i / 2) % 2]! + 1e-5)), { rtol: 1e-5, atol: 1e-5 });
  });

  test("testmode: gradient uses the running statistics and leaves them unchanged", () => {
    const bn = testmode(BatchNorm(2));
    bn.mu!.data.set([1, -1]);
    bn.sigma2!.data.set([4, 0.25]);
    const { val } = withgradient(loss, Duplicated(bn), Const(x));
    expect([read(bn.mu), read(bn.sigma2)]).toEqual([[1, -1], [4, 0.25]]);
    const v = toFlatArray(x);
    const expected = v.reduce((s, xi, i) => {
      const c = Math.floor(i / 2) % 2;
      return s + (xi - [1, -1][c]!) / Math.sqrt([4, 0.25][c]! + 1e-5);
    }, 0);
    expectClose(val as number, expected, { rtol: 1e-5, atol: 1e-5 });
  });
});

test("Dropout in automatic mode drops inside gradient and is the identity in a plain forward call", () => {
  seed(5);
  const d = Dropout(0.5);
  const ones = wrapColMajor(new Float32Array(400).fill(1), [400]);
  expect(toFlatArray(d.forward(ones).toNdarray())).toEqual(toFlatArray(ones));
  const g = gradient((t: Tensor) => sum(d.forward(t)), Duplicated(ones));
  const grad = toFlatArray(g[0] as NdArray);
  expect(grad.every((v) => v === 0 || v === 2)).toBe(true);
  expect(grad.filter((v) => v === 0).length).toBeGreaterThan(100);
});

const lenet5 = () => Chain(
  Conv([5, 5], 1, 6, relu), MaxPool([2, 2]), Conv([5, 5], 6, 16, relu), MaxPool([2, 2]), flatten,
  Dense(256, 120, relu), Dense(120, 84, relu), Dense(84, 10),
);
const lenetBatchNorm = () => Chain(
  Conv([5, 5], 1, 6), BatchNorm(6, relu), MaxPool([2, 2]), Conv([5, 5], 6, 16, relu), MaxPool([2, 2]), flatten, Dense(256, 10),
);

test.each([["LeNet-5", lenet5], ["LeNet with BatchNorm (running statistics updated in place)", lenetBatchNorm]] as const)(
  "a %s training step (gradient + Adam) traces once and allocates nothing when warm",
  (_name, build) => {
    seed(6);
    const model = build();
    const dup = Duplicated(model);
    const state = setup(Adam(), model);
    const xs = randn32(28, 28, 1, 8), ys = onehotbatch([0, 1, 2, 3, 4, 5, 6, 7], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const ce = (m: typeof model, a: Tensor, b: Tensor) => logitcrossentropy(m.forward(a), b);
    gradient(ce, dup, Const(xs), Const(ys));
    update(state, dup);
    const traces = programTraceCount(), allocations = allocationCount();
    const stats = model.layers[1] instanceof BatchNorm ? model.layers[1].mu! : null;
    const before = stats ? toFlatArray(stats) : [];
    for (let step = 0; step < 5; step++) {
      gradient(ce, dup, Const(xs), Const(ys));
      update(state, dup);
    }
    expect(programTraceCount()).toBe(traces);
    expect(allocationCount()).toBe(allocations);
    if (stats) expect(toFlatArray(stats)).not.toEqual(before);
  },
);
