/**
 * Derivatives through every layer: reverse and forward mode against Float64 central differences
 * (the graph package's gradcheck), second order through Dense and Chain, Float32 against Float64,
 * and Dropout's random mask in training mode.
 */
import { Tensor, sum, vjp, jvp, hvp, mul, abs2, toFlatArray } from "@tsflux/graph";
import { compareFloat32, expectClose, gradcheck, gradgradcheck, mulberry32, randomArray, seedFrom } from "@tsflux/graph/testing";
import * as layers from "@tsflux/layers";
import { Chain, Dense, Dropout, Layer, gelu, softmax, tanh, trainmode } from "@tsflux/layers";
import { TEST_MODELS, type ZooCase } from "./model-zoo";
import { parameterFunction, randomizeParams } from "./params";

const TOL = { eps: 1e-6, atol: 1e-5, rtol: 1e-3 };

/** Each zoo model with Float64 parameters drawn for it, and an input. */
function prepared(name: string, build: () => unknown, input: readonly number[], zoo: Partial<ZooCase> = {}) {
  const rng = mulberry32(seedFrom(name));
  const model = randomizeParams(build(), rng) as Layer;
  const x = zoo.fixedInput?.() ?? randomArray(rng, input, "f64", "real");
  const apply = (zoo.apply ?? ((m: Layer, xt: Tensor) => m.forward(xt))) as (m: Layer, x: Tensor) => Tensor;
  const { f, args } = parameterFunction(model, x, apply);
  return { f, args, wrt: args.map((a) => !(a.data instanceof Int32Array)) };
}

function instancesIn(x: unknown, seen = new Set<unknown>()): unknown[] {
  if (typeof x !== "object" || x === null || seen.has(x)) return [];
  seen.add(x);
  return [x, ...Object.values(x).flatMap((v) => instancesIn(v, seen))];
}

test("the model zoo holds every layer class the package exports", () => {
  const classes = Object.entries(layers).filter(([, v]) => typeof v === "function" && v.prototype instanceof layers.LayerBase);
  expect(classes.map(([k]) => k).sort()).toEqual([
    "AdaptiveMaxPool", "AdaptiveMeanPool", "BatchNorm", "Bilinear", "Chain", "Conv", "ConvTranspose", "CrossCor",
    "Dense", "Dropout", "Embedding", "GRU", "GRUCell", "GRUv3", "GRUv3Cell", "GlobalMaxPool", "GlobalMeanPool",
    "GroupNorm", "InstanceNorm", "LSTM", "LSTMCell", "Layer", "LayerNorm", "MaxPool", "Maxout", "MeanPool",
    "MultiHeadAttention", "PairwiseFusion", "Parallel", "PixelShuffle", "RNN", "RNNCell", "Recurrence", "Scale",
    "SkipConnection", "Upsample",
  ]);
  for (const [name, cls] of classes) {
    const found = TEST_MODELS.some((c) => instancesIn(c.build()).some((o) => o instanceof (cls as abstract new () => object)));
    expect([name, found]).toEqual([name, true]);
  }
});

describe.each(TEST_MODELS)("$name", (zoo) => {
  const { name, build, input } = zoo;
  test("gradients of parameters and input match Float64 finite differences", () => {
    const { f, args, wrt } = prepared(name, build, input, zoo);
    gradcheck(f, args, { ...TOL, what: name, wrt });
  });

  test("Float32 values and gradients match Float64", () => {
    const { f, args, wrt } = prepared(name, build, input, zoo);
    compareFloat32(f, args, { what: name, wrt });
  });
});

describe("second order", () => {
  const cases = [
    { name: "Dense(3 => 2, tanh)", build: () => Dense(3, 2, tanh) },
    { name: "Chain(Dense(3 => 3, gelu), Dense(3 => 2), softmax)", build: () => Chain(Dense(3, 3, gelu), Dense(3, 2), softmax) },
  ];

  test.each(cases)("grad of grad through $name matches finite differences", ({ name, build }) => {
    const { f, args } = prepared(name, build, [3, 2]);
    gradgradcheck(f, args, { ...TOL, what: name });
  });

  test.each(cases)("Hessian-vector products of a loss through $name are symmetric: u·Hv = v·Hu", ({ name, build }) => {
    const { f, args } = prepared(name, build, [3, 2]);
    const loss = (...xs: Tensor[]) => sum(abs2(f(...xs)));
    const rng = mulberry32(seedFrom(`hvp:${name}`));
    const u = args.map((a) => randomArray(rng, a.shape, "f64", "unit"));
    const v = args.map((a) => randomArray(rng, a.shape, "f64", "unit"));
    const dot = (a: Tensor[], b: typeof u) => a.reduce((s, t, k) => s + toFlatArray(t.toNdarray()).reduce((p, x, i) => p + x * toFlatArray(b[k]!)[i]!, 0), 0);
    expectClose(dot(hvp(loss, args, v), u), dot(hvp(loss, args, u), v), { rtol: 1e-10, atol: 1e-12, what: `${name}: u·Hv vs v·Hu` });
  });
});

describe("Dropout in training mode", () => {
  const rng = mulberry32(seedFrom("dropout"));
  const x = randomArray(rng, [8, 8], "f64", "positive");
  const xs = toFlatArray(x);

  test("each element is dropped or scaled by 1/(1-p), and the gradient uses the same mask", () => {
    const layer = trainmode(Dropout(0.25));
    const u = randomArray(rng, [8, 8], "f64", "unit");
    const { value, grads } = vjp((t) => layer.forward(t), [x], u);
    const y = toFlatArray(value.toNdarray()), g = toFlatArray(grads[0]!.toNdarray()), us = toFlatArray(u);
    y.forEach((yi, i) => {
      const kept = yi !== 0;
      expect(yi).toBeCloseTo(kept ? xs[i]! / 0.75 : 0, 12);
      expect(g[i]).toBeCloseTo(kept ? us[i]! / 0.75 : 0, 12);
    });
    expect(y.some((v) => v === 0) && y.some((v) => v !== 0)).toBe(true);
  });

  test("forward mode uses the run's own mask: tangent = v · y / x", () => {
    const layer = trainmode(Dropout(0.5));
    const v = randomArray(rng, [8, 8], "f64", "unit");
    const { value, tangent } = jvp((t) => layer.forward(t), [x], [v]);
    const y = toFlatArray(value.toNdarray()), dy = toFlatArray(tangent.toNdarray()), vs = toFlatArray(v);
    y.forEach((yi, i) => expect(dy[i]).toBeCloseTo((vs[i]! * yi) / xs[i]!, 12));
  });

  test("a compiled plan draws a fresh mask on every run", () => {
    const layer = trainmode(Dropout(0.5));
    const f = (t: Tensor) => sum(mul(layer.forward(t), 1));
    const masks = [0, 1, 2].map(() => toFlatArray(vjp(f, [x]).grads[0]!.toNdarray()).map((g) => (g === 0 ? 0 : 1)).join(""));
    expect(new Set(masks).size).toBe(3);
  });

  test("with dims = 2 the mask is shared along dim 1: whole columns are kept or dropped", () => {
    const y = toFlatArray(trainmode(Dropout(0.5, { dims: 2 })).forward(x).toNdarray());
    for (let j = 0; j < 8; j++) {
      const column = y.slice(8 * j, 8 * j + 8);
      expect(column.every((v) => v === 0) || column.every((v) => v !== 0)).toBe(true);
    }
  });

  test("about a fraction p of a large input is dropped (10_000 draws, within 4 standard deviations)", () => {
    const ones = randomArray(mulberry32(1), [100, 100], "f32", "positive");
    const y = toFlatArray(trainmode(Dropout(0.3)).forward(ones).toNdarray());
    const dropped = y.filter((v) => v === 0).length / y.length;
    expect(Math.abs(dropped - 0.3)).toBeLessThan(4 * Math.sqrt((0.3 * 0.7) / 10_000));
  });
});
