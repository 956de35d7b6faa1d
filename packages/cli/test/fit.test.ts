/** The training loop: it learns, traces once per batch shape, records its history, and stops on a non-finite loss. */
import { programTraceCount, seed, wrapColMajor } from "@tsflux/graph";
import { Chain, Dense, Dropout, logitcrossentropy, relu } from "@tsflux/layers";
import { Adam } from "@tsflux/optim";
import { DomainError } from "@tsflux/enzyme-compat";
import { fit, type ExperimentData } from "@tsflux/cli";

/** n points in the plane, labelled by which side of the diagonal they lie on (one-hot, 2 classes). */
function halves(n: number): ExperimentData {
  const x = new Float32Array(2 * n), y = new Float32Array(2 * n);
  for (let j = 0; j < n; j++) {
    const a = Math.sin(j * 12.9898) * 2, b = Math.cos(j * 78.233) * 2;
    x.set([a, b], 2 * j);
    y[2 * j + (a > b ? 0 : 1)] = 1;
  }
  return { train: { x: wrapColMajor(x, [2, n]), y: wrapColMajor(y, [2, n]) } };
}

test("learns a separable problem: the loss falls and the accuracy rises; one record per step and per epoch", () => {
  seed(1);
  const model = Chain(Dense(2, 16, relu), Dense(16, 2));
  const history = fit(model, halves(128), logitcrossentropy, Adam(0.02), { epochs: 6, batchsize: 16 });
  expect(history.steps).toHaveLength(6 * 8);
  expect(history.steps[7]!.epoch).toBe(1);
  expect(history.steps[8]!.epoch).toBe(1.125);
  expect(history.epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
  const [first, last] = [history.epochs[0]!, history.epochs[5]!];
  expect(last.loss).toBeLessThan(first.loss / 2);
  expect(last.accuracy).toBeGreaterThan(0.9);
  expect(first.testAccuracy).toBeUndefined(); // no test split given
  const mean = history.steps.slice(0, 8).reduce((s, r) => s + r.loss, 0) / 8;
  expect(first.loss).toBeCloseTo(mean, 6);
});

test("traces the loss once per batch shape: twice when the last batch is smaller", () => {
  const model = Chain(Dense(2, 4, relu), Dense(4, 2));
  const before = programTraceCount();
  fit(model, halves(120), logitcrossentropy, Adam(), { epochs: 3, batchsize: 16 }); // 7 batches of 16, one of 8
  expect(programTraceCount() - before).toBe(2);
});

test("Dropout is active while training and back in the automatic mode afterwards", () => {
  const model = Chain(Dense(2, 4, relu), Dropout(0.5), Dense(4, 2));
  const seen: (boolean | null)[] = [];
  fit(model, halves(32), logitcrossentropy, Adam(), { epochs: 1, batchsize: 16, onStep: () => seen.push(model.layers[1].active) });
  expect(seen).toEqual([true, true]);
  expect(model.layers[1].active).toBeNull();
});

test("a non-finite loss stops training with a DomainError naming the step", () => {
  const data = halves(32);
  data.train.x.data[2 * 20] = NaN; // observation 21, in the second batch
  const run = () => fit(Chain(Dense(2, 2)), data, logitcrossentropy, Adam(), { epochs: 1, batchsize: 16 });
  expect(run).toThrow(DomainError);
  expect(run).toThrow("Loss is NaN at step 2 of epoch 1, stopping training");
});
