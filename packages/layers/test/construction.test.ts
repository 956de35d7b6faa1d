/** Constructing layers as Flux does: with or without `new`, fields that are exactly the children, the tree walk, typing. */
import ndarray from "ndarray";
import { Tensor, abs2, add, fmap, leaves, seed, sub, sum, toFlatArray, type NdArray } from "@tsflux/graph";
import {
  Chain, Dense, Dropout, LayerNorm, Parallel, Scale, SkipConnection, f32, f64, identity, ones32, randn32,
  relu, sigmoid, softmax, trainables, σ,
} from "@tsflux/layers";
import { f32Array } from "./params";

describe("with and without new", () => {
  const builders: [string, () => object, () => object, abstract new (...args: never[]) => unknown][] = [
    ["Chain", () => Chain(relu), () => new Chain(relu), Chain],
    ["Dense", () => Dense(2, 3), () => new Dense(2, 3), Dense],
    ["Parallel", () => Parallel(add, relu), () => new Parallel(add, relu), Parallel],
    ["SkipConnection", () => SkipConnection(relu, add), () => new SkipConnection(relu, add), SkipConnection],
    ["Dropout", () => Dropout(0.5), () => new Dropout(0.5), Dropout],
    ["Scale", () => Scale(3), () => new Scale(3), Scale],
    ["LayerNorm", () => LayerNorm(3), () => new LayerNorm(3), LayerNorm],
  ];

  test.each(builders)("%s: both build the same kind of object, instanceof holds, the class is named", (name, plain, withNew, cls) => {
    const a = plain(), b = withNew();
    expect(a).toBeInstanceOf(cls);
    expect(b).toBeInstanceOf(cls);
    expect(Object.getPrototypeOf(a)).toBe(Object.getPrototypeOf(b));
    expect(a.constructor.name).toBe(name);
    expect(Object.keys(a)).toEqual(Object.keys(b));
  });
});

test("fields are exactly the children Flux's structs have (the gradient tree's keys)", () => {
  expect(Object.keys(Chain(relu))).toEqual(["layers"]);
  expect(Object.keys(Dense(2, 3))).toEqual(["weight", "bias", "activation"]);
  expect(Object.keys(Parallel(add, relu))).toEqual(["connection", "layers"]);
  expect(Object.keys(SkipConnection(relu, add))).toEqual(["layers", "connection"]);
  expect(Object.keys(Dropout(0.5))).toEqual(["p", "dims", "active"]);
  expect(Object.keys(Scale(3))).toEqual(["scale", "bias", "activation"]);
  expect(Object.keys(LayerNorm(3))).toEqual(["activation", "diag", "eps", "size", "affine"]);
});

describe("Dense construction", () => {
  test("weight [out, in] Float32 from glorotUniform, bias zeros [out], activation kept", () => {
    const d = Dense(784, 32, sigmoid);
    expect(d.weight.shape).toEqual([32, 784]);
    expect(d.weight.data).toBeInstanceOf(Float32Array);
    const limit = Math.sqrt(6 / (784 + 32));
    expect(toFlatArray(d.weight).every((w) => Math.abs(w) <= limit)).toBe(true);
    expect(toFlatArray(d.bias as NdArray)).toEqual(new Array(32).fill(0));
    expect(d.activation).toBe(sigmoid);
    expect(σ).toBe(sigmoid);
    expect(Dense(2, 3).activation).toBe(identity);
  });

  test("init is called as init(out, in); bias may be false or an array; Dense(W, b, σ) wraps given arrays", () => {
    const calls: number[][] = [];
    const d = Dense(4, 2, relu, { init: (...dims) => (calls.push(dims), ones32(...dims)), bias: false });
    expect(calls).toEqual([[2, 4]]);
    expect(d.bias).toBe(false);
    const W = f32Array([1, 2, 3, 4], [2, 2]), b = f32Array([5, 6], [2]);
    const given = Dense(W, b, relu);
    expect(given.weight).toBe(W);
    expect(given.bias).toBe(b);
    expect(toFlatArray(Dense(W).bias as NdArray)).toEqual([0, 0]);
  });
});

describe("the tree walk", () => {
  test("trainables and leaf paths follow the fields; Dropout has nothing trainable", () => {
    const model = Chain(Dense(2, 3), LayerNorm(3), Dropout(0.1), Dense(3, 1));
    expect(leaves(model).map((l) => l.path)).toEqual([
      ".layers[0].weight", ".layers[0].bias", ".layers[1].diag.scale", ".layers[1].diag.bias", ".layers[3].weight", ".layers[3].bias",
    ]);
    expect(trainables(model)).toHaveLength(6);
    expect(trainables(Dropout(0.5))).toEqual([]);
  });

  test("a tied layer's arrays are listed once", () => {
    const shared = Dense(2, 2);
    expect(trainables(Chain(shared, shared))).toEqual([shared.weight, shared.bias]);
  });

  test("fmap, f64 and f32 rebuild the same classes, convert floats, and keep shared arrays shared", () => {
    const shared = Dense(2, 2, relu);
    const model = Chain(shared, shared, softmax);
    const wide = f64(model);
    expect(wide).toBeInstanceOf(Chain);
    expect(wide.layers[0]).toBeInstanceOf(Dense);
    expect(wide.layers[0]).toBe(wide.layers[1]);
    expect(wide.layers[0].weight.data).toBeInstanceOf(Float64Array);
    expect(toFlatArray(wide.layers[0].weight)).toEqual(toFlatArray(shared.weight));
    expect(wide.layers[0].activation).toBe(relu);
    expect((f32(wide).layers[1].bias as NdArray).data).toBeInstanceOf(Float32Array);
    const doubled = fmap((a) => f32Array(toFlatArray(a).map((v) => 2 * v), a.shape), model) as typeof model;
    expect(toFlatArray(doubled.layers[0].weight)).toEqual(toFlatArray(shared.weight).map((v) => 2 * v));
  });
});

test("the seed walkthrough types: (m: Chain, x, y) => loss, evaluated eagerly", () => {
  seed(42);
  const model = Chain(Dense(28 * 28, 32, sigmoid), Dense(32, 10), softmax);
  const x1 = randn32(28 * 28, 1);
  const y1 = ndarray(Float32Array.from({ length: 10 }, (_, i) => (i === 3 ? 1 : 0)), [10]);
  const loss = (m: Chain, x: Tensor, y: Tensor) => sum(abs2(sub(m.forward(x), y)));
  const prediction = toFlatArray(model.forward(x1).toNdarray());
  expect(prediction.reduce((a, p) => a + p, 0)).toBeCloseTo(1, 5);
  const expected = prediction.reduce((a, p, i) => a + (p - (i === 3 ? 1 : 0)) ** 2, 0);
  expect(Number(loss(model, Tensor.concrete(x1), Tensor.concrete(y1)))).toBeCloseTo(expected, 5);
  expect(model.layers[0].weight.shape).toEqual([32, 784]);
});
