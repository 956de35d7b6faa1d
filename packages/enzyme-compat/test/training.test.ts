/** Training loops trace once per distinct shape, and a warm step allocates no typed arrays. */
import { sum, abs2, sub, programTraceCount, allocationCount, seed, type Tensor, type NdArray } from "@tsflux/graph";
import { Chain, Dense, sigmoid, softmax, relu, randn32, onehotbatch, DataLoader, logitcrossentropy } from "@tsflux/layers";
import { setup, update, Adam, Descent } from "@tsflux/optim";
import { Duplicated, Const, gradient, train } from "@tsflux/enzyme-compat";

const loss = (m: Chain, x: Tensor, y: Tensor) => sum(abs2(sub(m.forward(x), y)));

test("100 training steps with gradient + update trace once and allocate nothing after the first", () => {
  seed(3);
  const model = Chain(Dense(28 * 28, 32, sigmoid), Dense(32, 10), softmax);
  const dup = Duplicated(model);
  const state = setup(Adam(), model);
  const x = randn32(28 * 28, 1), y = onehotbatch([3], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  gradient(loss, dup, Const(x), Const(y));
  update(state, dup);
  const traces = programTraceCount(), allocations = allocationCount();
  global.gc?.();
  const bytes = process.memoryUsage().arrayBuffers;
  for (let step = 0; step < 100; step++) {
    gradient(loss, dup, Const(x), Const(y));
    update(state, dup);
  }
  expect(programTraceCount()).toBe(traces);
  expect(allocationCount()).toBe(allocations);
  expect(process.memoryUsage().arrayBuffers - bytes).toBeLessThan(16 * 1024);
});

test("train over a DataLoader: one trace for full batches, a second for the partial last batch, never again", () => {
  seed(4);
  const model = Chain(Dense(4, 8, relu), Dense(8, 3));
  const dup = Duplicated(model);
  const state = setup(Descent(0.1), model);
  const xs = randn32(4, 10);
  const labels = Array.from({ length: 10 }, (_, i) => i % 3);
  const ys = onehotbatch(labels, [0, 1, 2]);
  const ce = (m: Chain, x: Tensor, y: Tensor) => logitcrossentropy(m.forward(x), y);
  const loader = DataLoader([xs, ys] as NdArray[], { batchsize: 4 }); // batches of 4, 4 and 2
  const before = programTraceCount();
  const first = train(ce, dup, loader, state);
  expect(first.steps).toBe(3);
  expect(programTraceCount() - before).toBe(2);
  let last = first.meanLoss;
  for (let epoch = 0; epoch < 20; epoch++) last = train(ce, dup, loader, state).meanLoss;
  expect(programTraceCount() - before).toBe(2);
  expect(last).toBeLessThan(first.meanLoss);
});
