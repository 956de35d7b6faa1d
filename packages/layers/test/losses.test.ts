/** Losses against closed forms (Flux's defaults), extreme logits, options, derivatives, and size checks. */
import { ShapeError, Tensor, sum, toFlatArray, vjp, wrapColMajor, type NdArray } from "@tsflux/graph";
import { gradcheck, gradgradcheck, mulberry32, randomArray, seedFrom } from "@tsflux/graph/testing";
import {
  binarycrossentropy, crossentropy, huberLoss, kldivergence, logitbinarycrossentropy, logitcrossentropy, mae, mse,
} from "@tsflux/layers";
import { f32Array, f64Array } from "./params";

const value = (t: Tensor): number => Number(t);
const EPS32 = 2 ** -23, EPS64 = 2 ** -52;
const logistic = (v: number) => 1 / (1 + Math.exp(-v));

describe("regression losses", () => {
  const yhat = f64Array([1, 2, 3], [3]), y = f64Array([0, 2, 5], [3]);

  test("mse = mean((ŷ - y)²); agg = sum gives the total; agg = identity the terms", () => {
    expect(value(mse(yhat, y))).toBeCloseTo(5 / 3, 14);
    expect(value(mse(yhat, y, { agg: sum }))).toBe(5);
    expect(toFlatArray(mse(yhat, y, { agg: (t) => t }).toNdarray())).toEqual([1, 0, 4]);
  });

  test("mae = mean(|ŷ - y|)", () => {
    expect(value(mae(yhat, y))).toBeCloseTo(1, 14);
  });

  test("huberLoss: ½e² inside δ, δ(|e| - ½δ) outside", () => {
    const e = f64Array([0.5, -2, 3], [3]), zero = f64Array([0, 0, 0], [3]);
    expect(value(huberLoss(e, zero))).toBeCloseTo((0.125 + 1.5 + 2.5) / 3, 14);
    expect(value(huberLoss(e, zero, { delta: 2 }))).toBeCloseTo((0.125 + 2 + 4) / 3, 14);
  });

  test("a number label is a constant; Int32 and Bool labels are converted to ŷ's type", () => {
    expect(value(mse(yhat, 2))).toBeCloseTo((1 + 0 + 1) / 3, 14);
    expect(value(mse(f32Array([1, 0], [2]), wrapColMajor(new Uint8Array([1, 1]), [2])))).toBe(0.5);
    expect(value(mae(f32Array([1, 0], [2]), wrapColMajor(new Int32Array([3, 1]), [2])))).toBe(1.5);
  });
});

describe("classification losses", () => {
  // two columns (examples) of two classes; true classes 2 and 1
  const probs = f64Array([0.1, 0.9, 0.6, 0.4], [2, 2]);
  const onehot = f64Array([0, 1, 1, 0], [2, 2]);

  test("crossentropy = mean over columns of -Σ y log(ŷ + eps), eps = eps(Float64)", () => {
    expect(value(crossentropy(probs, onehot))).toBeCloseTo(-(Math.log(0.9 + EPS64) + Math.log(0.6 + EPS64)) / 2, 14);
    expect(value(crossentropy(probs, onehot, { eps: 0.1 }))).toBeCloseTo(-(Math.log(1.0) + Math.log(0.7)) / 2, 14);
  });

  test("dims = 2 sums along rows: the same as dims = 1 on the transpose", () => {
    const t = f64Array([0.1, 0.6, 0.9, 0.4], [2, 2]), yt = f64Array([0, 1, 1, 0], [2, 2]);
    expect(value(crossentropy(t, yt, { dims: 2 }))).toBeCloseTo(value(crossentropy(probs, onehot)), 14);
  });

  test("logitcrossentropy = mean of -Σ y logsoftmax(ŷ)", () => {
    const logits = f64Array([1, 3, 0.5, -2], [2, 2]);
    const lse = (a: number, b: number) => Math.log(Math.exp(a) + Math.exp(b));
    const expected = (-(3 - lse(1, 3)) - (0.5 - lse(0.5, -2))) / 2;
    expect(value(logitcrossentropy(logits, onehot))).toBeCloseTo(expected, 14);
  });

  test("binarycrossentropy = mean(-y log(ŷ + eps) - (1 - y) log(1 - ŷ + eps))", () => {
    const p = f64Array([0.9, 0.2, 0.7], [3]), y = f64Array([1, 0, 0], [3]);
    const expected = -(Math.log(0.9 + EPS64) + Math.log(0.8 + EPS64) + Math.log(0.3 + EPS64)) / 3;
    expect(value(binarycrossentropy(p, y))).toBeCloseTo(expected, 14);
  });

  test("logitbinarycrossentropy = mean((1 - y) ŷ - log σ(ŷ)), equal to binarycrossentropy(σ(ŷ), y) without eps", () => {
    const z = [2, -1, 0.5], labels = [1, 0, 1];
    const expected = z.reduce((s, v, i) => s + (1 - labels[i]!) * v - Math.log(logistic(v)), 0) / 3;
    expect(value(logitbinarycrossentropy(f64Array(z, [3]), f64Array(labels, [3])))).toBeCloseTo(expected, 14);
    const viaProbabilities = binarycrossentropy(f64Array(z.map(logistic), [3]), f64Array(labels, [3]), { eps: 0 });
    expect(value(logitbinarycrossentropy(f64Array(z, [3]), f64Array(labels, [3])))).toBeCloseTo(value(viaProbabilities), 14);
  });

  test("kldivergence = mean over columns of Σ y log y - Σ y log(ŷ + eps); 0 log 0 counts as 0", () => {
    const p = f64Array([0.25, 0.75], [2, 1]), y = f64Array([0.5, 0.5], [2, 1]);
    const expected = 0.5 * Math.log(0.5 / (0.25 + EPS64)) + 0.5 * Math.log(0.5 / (0.75 + EPS64));
    expect(value(kldivergence(p, y))).toBeCloseTo(expected, 14);
    expect(value(kldivergence(f64Array([1, 0], [2]), f64Array([1, 0], [2])))).toBeCloseTo(-Math.log(1 + EPS64), 14);
  });
});

describe("extreme inputs (Float32): finite wherever Flux is finite", () => {
  test("logitcrossentropy of ±1000 logits: the loss and its gradient softmax(ŷ) - y", () => {
    const logits = f32Array([1000, -1000], [2, 1]), y = f32Array([0, 1], [2, 1]);
    const { value: loss, grads } = vjp((z) => logitcrossentropy(z, y), [logits]);
    expect(Number(loss)).toBe(2000);
    expect(toFlatArray(grads[0]!.toNdarray())).toEqual([1, -1]);
    expect(value(logitcrossentropy(logits, f32Array([1, 0], [2, 1])))).toBe(0);
  });

  test("logitbinarycrossentropy of ±1000: the loss and its gradient σ(ŷ) - y", () => {
    const z = f32Array([1000, -1000], [2]);
    const { value: loss, grads } = vjp((t) => logitbinarycrossentropy(t, f32Array([0, 1], [2]), { agg: sum }), [z]);
    expect(Number(loss)).toBe(2000);
    expect(toFlatArray(grads[0]!.toNdarray())).toEqual([1, -1]);
    expect(value(logitbinarycrossentropy(z, f32Array([1, 0], [2])))).toBe(0);
  });

  test("crossentropy and binarycrossentropy of a probability 0 for the true class: -log(eps(Float32)), finite gradient", () => {
    const p = f32Array([0, 1], [2, 1]), y = f32Array([1, 0], [2, 1]);
    const { value: loss, grads } = vjp((t) => crossentropy(t, y), [p]);
    expect(Number(loss)).toBeCloseTo(-Math.log(EPS32), 4);
    expect(toFlatArray(grads[0]!.toNdarray()).every(Number.isFinite)).toBe(true);
    const b = vjp((t) => binarycrossentropy(t, f32Array([1, 1], [2])), [f32Array([0, 1], [2])]);
    expect(Number(b.value)).toBeCloseTo(-Math.log(EPS32) / 2, 4);
    expect(toFlatArray(b.grads[0]!.toNdarray()).every(Number.isFinite)).toBe(true);
  });
});

describe("derivatives with respect to ŷ (Float64 finite differences)", () => {
  const rng = mulberry32(seedFrom("loss derivatives"));
  const probabilities = (shape: number[]): NdArray => {
    const raw = toFlatArray(randomArray(rng, shape, "f64", "positive"));
    return f64Array(raw.map((v) => v / 3), shape);
  };
  const cases: [string, (p: Tensor, y: NdArray) => Tensor, () => NdArray, () => NdArray][] = [
    ["mse", (p, y) => mse(p, y), () => randomArray(rng, [3, 2], "f64", "real"), () => randomArray(rng, [3, 2], "f64", "real")],
    ["mae", (p, y) => mae(p, y), () => randomArray(rng, [3, 2], "f64", "real"), () => randomArray(rng, [3, 2], "f64", "real")],
    ["huberLoss", (p, y) => huberLoss(p, y, { delta: 0.7 }), () => randomArray(rng, [3, 2], "f64", "real"), () => randomArray(rng, [3, 2], "f64", "real")],
    ["crossentropy", (p, y) => crossentropy(p, y), () => probabilities([3, 2]), () => probabilities([3, 2])],
    ["logitcrossentropy", (p, y) => logitcrossentropy(p, y), () => randomArray(rng, [3, 2], "f64", "real"), () => probabilities([3, 2])],
    ["binarycrossentropy", (p, y) => binarycrossentropy(p, y), () => probabilities([3, 2]), () => probabilities([3, 2])],
    ["logitbinarycrossentropy", (p, y) => logitbinarycrossentropy(p, y), () => randomArray(rng, [3, 2], "f64", "real"), () => probabilities([3, 2])],
    ["kldivergence", (p, y) => kldivergence(p, y), () => probabilities([3, 2]), () => probabilities([3, 2])],
  ];
  test.each(cases)("%s: first and second order", (name, loss, prediction, label) => {
    const y = label();
    gradcheck((p) => loss(p, y), [prediction()], { what: name });
    gradgradcheck((p) => loss(p, y), [prediction()], { what: name });
  });
});

describe("prediction and label sizes", () => {
  const losses: [string, (p: NdArray, y: NdArray) => Tensor][] = [
    ["mse", mse], ["mae", mae], ["huberLoss", huberLoss], ["crossentropy", crossentropy], ["logitcrossentropy", logitcrossentropy],
    ["binarycrossentropy", binarycrossentropy], ["logitbinarycrossentropy", logitbinarycrossentropy], ["kldivergence", kldivergence],
  ];
  test.each(losses)("%s: a mismatch is a ShapeError naming the loss and both sizes", (name, loss) => {
    const call = () => loss(f32Array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6], [3, 2]), f32Array([0, 0, 0, 0, 0, 0], [2, 3]));
    expect(call).toThrow(ShapeError);
    expect(call).toThrow(`${name}: expected size(ŷ) = [3, 2] to match size(y) = [2, 3]`);
  });

  test("trailing dims of size 1 are allowed, as Flux's _check_sizes", () => {
    expect(value(mse(f32Array([1, 2], [2]), f32Array([1, 2], [2, 1])))).toBe(0);
  });
});
