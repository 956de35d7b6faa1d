/** API.md's seed walkthrough: one test per comment, in order. */
import util from "node:util";
import ndarray from "ndarray";
import { sum, abs2, sub, mul, assign, toFlatArray, Tensor, type NdArray } from "@tsflux/graph";
import { Chain, Dense, sigmoid, softmax, randn32 } from "@tsflux/layers";
import { setup, update, Adam } from "@tsflux/optim";
import { Duplicated, Const, Reverse, Enzyme, gradient, withgradient, train, autodiff, ActivityError, gradientGraph } from "@tsflux/enzyme-compat";
import { seed } from "@tsflux/graph";
import { expectClose } from "@tsflux/graph/testing";

type DenseGrad = { weight: NdArray; bias: NdArray; activation: null };
type ChainGrad = { layers: [DenseGrad, DenseGrad, null] };

seed(1);
const model = Chain(Dense(28 * 28, 32, sigmoid), Dense(32, 10), softmax);
const dupModel = Duplicated(model);
const x1 = randn32(28 * 28, 1);
const y1 = ndarray(Float32Array.from({ length: 10 }, (_, i) => (i === 3 ? 1 : 0)), [10]);
const loss = (m: Chain, x: Tensor, y: Tensor) => sum(abs2(sub(m.forward(x), y)));
const values = (a: NdArray) => toFlatArray(a);
const dval = () => dupModel.dval as Chain;
/** The i-th child of a positional Chain, typed as a Dense (or whatever the caller says). */
const layer = <T = Dense>(c: Chain, i: number): T => (c.layers as unknown[])[i] as T;
const bias = (d: Dense): NdArray => d.bias as NdArray;

test("Chain(Dense(...), ...) works with and without `new`", () => {
  const withNew = new Chain(new Dense(3, 2, sigmoid), softmax);
  expect(withNew).toBeInstanceOf(Chain);
  expect(model).toBeInstanceOf(Chain);
  expect(layer<unknown>(model, 0)).toBeInstanceOf(Dense);
  expect([...layer(model, 0).weight.shape]).toEqual([32, 784]);
});

test("Duplicated(model) allocates the shadow: dupModel.val is the model, dupModel.dval a zeroed Chain of its own arrays", () => {
  expect(dupModel.val).toBe(model);
  expect(dval()).toBeInstanceOf(Chain);
  const w = layer(dval(), 0).weight;
  expect([...w.shape]).toEqual([32, 784]);
  expect(w.data).not.toBe(layer(model, 0).weight.data);
  expect(values(w).every((v) => v === 0)).toBe(true);
  expect(layer<unknown>(dval(), 2)).toBe(softmax); // functions are shared, not copied
});

test("String(dupModel) prints Flux's show, and console.log shows the same", () => {
  const expected = [
    "Duplicated(",
    "  Chain(",
    "    Dense(784 => 32, σ),                # 25_120 parameters",
    "    Dense(32 => 10),                    # 330 parameters",
    "    softmax,",
    "  ),",
    "  # norm(∇) ≈ 0.0",
    ")                   # Total: 4 arrays, 25_450 parameters, 198.828 KiB.",
  ].join("\n");
  expect(String(dupModel)).toBe(expected);
  expect(util.inspect(dupModel)).toBe(expected);
});

test("randn32(784, 1) is a Float32 ndarray of shape [784, 1]; y1 is a Float32 one-hot of length 10", () => {
  expect(x1.data).toBeInstanceOf(Float32Array);
  expect([...x1.shape]).toEqual([784, 1]);
  expect(values(y1)).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
});

describe("gradient(loss, dupModel, Const(x1), Const(y1))", () => {
  let gradsF: [ChainGrad, null, null];
  beforeAll(() => {
    gradsF = gradient(loss, dupModel, Const(x1), Const(y1)) as [ChainGrad, null, null];
  });

  test("gradsF[0] = { layers: [ { weight, bias, activation: null }, { weight, bias, activation: null }, null ] }", () => {
    expect(Object.keys(gradsF[0])).toEqual(["layers"]);
    expect(gradsF[0].layers).toHaveLength(3);
    for (const k of [0, 1] as const) {
      expect(Object.keys(gradsF[0].layers[k]).sort()).toEqual(["activation", "bias", "weight"]);
      expect(gradsF[0].layers[k].activation).toBeNull();
    }
    expect(gradsF[0].layers[2]).toBeNull();
    expect([...gradsF[0].layers[1].bias.shape]).toEqual([10]);
  });

  test("gradsF[1] === null, gradsF[2] === null", () => {
    expect(gradsF[1]).toBeNull();
    expect(gradsF[2]).toBeNull();
  });

  test("gradsF[0].layers[0].weight.data === dupModel.dval.layers[0].weight.data (a view, not a copy)", () => {
    expect(gradsF[0].layers[0].weight.data).toBe(layer(dval(), 0).weight.data);
    expect(gradsF[0].layers[0].weight).toBe(layer(dval(), 0).weight);
  });

  test("the gradient is right: for the last layer's bias, 2(ŷ - y) through softmax's Jacobian", () => {
    const yhat = values(model.forward(x1).toNdarray());
    const r = yhat.map((p, i) => 2 * (p - values(y1)[i]!));
    const dot = r.reduce((s, v, i) => s + v * yhat[i]!, 0);
    expectClose(gradsF[0].layers[1].bias, yhat.map((p, i) => p * (r[i]! - dot)), { rtol: 1e-4, atol: 1e-6 });
  });

  test("gradient(loss, dupModel, x1, y1) is the same call: plain arguments are Const", () => {
    const before = values(gradsF[0].layers[1].bias);
    const plain = gradient(loss, dupModel, x1, y1) as [ChainGrad, null, null];
    expect(plain[1]).toBeNull();
    expect(values(plain[0].layers[1].bias)).toEqual(before);
  });

  test("gradient(loss, model, Const(x1), Const(y1)) throws ActivityError: at least one Duplicated is required", () => {
    // @ts-expect-error: refused at compile time too, when the arguments' types are known
    expect(() => gradient(loss, model, Const(x1), Const(y1))).toThrow(ActivityError);
    // @ts-expect-error: as above
    expect(() => gradient(loss, model, Const(x1), Const(y1))).toThrow("The method `gradient(f, xs...)` using Enzyme requires at least one `Duplicated` argument, not just `Const`.");
  });

  test("gradient(..., { zero: false }) adds to what the shadow holds instead of zeroing it first", () => {
    const once = values(gradient(loss, dupModel, Const(x1), Const(y1))[0].layers[0].weight);
    const twice = values(gradient(loss, dupModel, Const(x1), Const(y1), { zero: false })[0].layers[0].weight);
    expectClose(twice, once.map((v) => 2 * v), { rtol: 1e-6, atol: 1e-12 });
    const zeroed = values(gradient(loss, dupModel, Const(x1), Const(y1))[0].layers[0].weight);
    expect(zeroed).toEqual(once);
  });
});

test("withgradient(...) returns { val, grad } with val the loss as a number", () => {
  const { val, grad } = withgradient(loss, dupModel, Const(x1), Const(y1));
  expect(typeof val).toBe("number");
  expectClose(val as number, Number(loss(model, Tensor.concrete(x1), Tensor.concrete(y1))), { rtol: 1e-6 });
  expect(grad[1]).toBeNull();
  expect((grad[0] as ChainGrad).layers[0].weight).toBe(layer(dval(), 0).weight);
});

test("setup(Adam(), model) is deep-equal to setup(Adam(), dupModel)", () => {
  expect(setup(Adam(), dupModel)).toEqual(setup(Adam(), model));
});

test("update(optState, model, gradsF[0]) mutates the model's arrays in place; update(optState, dupModel) uses dupModel.dval", () => {
  const optState = setup(Adam(), model);
  const w = layer(model, 1).weight;
  const before = values(w);
  const gradsF = gradient(loss, dupModel, Const(x1), Const(y1));
  update(optState, model, gradsF[0]);
  expect(layer(model, 1).weight).toBe(w);
  const afterFirst = values(w);
  expect(afterFirst).not.toEqual(before);
  // Adam's first step moves every parameter with a non-zero gradient by about eta (0.001) against its sign
  const g = values(gradsF[0].layers[1].weight);
  afterFirst.forEach((v, i) => {
    if (Math.abs(g[i]!) > 1e-6) expect(Math.sign(before[i]! - v)).toBe(Math.sign(g[i]!));
  });
  update(optState, dupModel);
  expect(values(w)).not.toEqual(afterFirst);
});

test("Enzyme.gradient(Reverse, ...): gradsE[0] instanceof Chain, holding gradients; gradsE[1] === gradsE[2] === null", () => {
  const gradsE = Enzyme.gradient(Reverse, loss, model, Const(x1), Const(y1)) as [Chain, null, null];
  expect(gradsE[0]).toBeInstanceOf(Chain);
  expect(gradsE[0]).not.toBe(model);
  expect(gradsE[1]).toBeNull();
  expect(gradsE[2]).toBeNull();
  expect(layer<unknown>(gradsE[0], 2)).toBe(softmax);
  // at the same model state, layer<unknown>(gradsE[0], 1).bias equals gradient(...)[0].layers[1].bias
  const gradsF = gradient(loss, dupModel, Const(x1), Const(y1));
  expectClose(bias(layer(gradsE[0], 1)), gradsF[0].layers[1].bias!, { rtol: 1e-6, atol: 1e-9 });
});

test("train(loss, dupModel, [[x1, y1]], setup(Adam(0), model)): one pass over the data", () => {
  const state = setup(Adam(0), model);
  const before = values(layer(model, 0).weight);
  const steps: number[] = [];
  const summary = train(loss, dupModel, [[x1, y1]], state, { onStep: ({ step }) => steps.push(step) });
  expect(summary.steps).toBe(1);
  expect(steps).toEqual([1]);
  expect(values(layer(model, 0).weight)).toEqual(before); // a zero learning rate changes nothing
  expect(values(bias(layer(dval(), 1))).some((v) => v !== 0)).toBe(true); // but the gradient is there
});

test("the mutation example: y = [1, 4, 9], dx = [2, 4, 6] (accumulated), dy = [0, 0, 0] (consumed)", () => {
  const f = (y: Tensor, x: Tensor) => {
    assign(y, mul(x, x));
  };
  const x = ndarray(new Float32Array([1, 2, 3])), dx = ndarray(new Float32Array(3));
  const y = ndarray(new Float32Array(3)), dy = ndarray(new Float32Array([1, 1, 1]));
  autodiff(Reverse, f, Const, Duplicated(y, dy), Duplicated(x, dx));
  expect(values(y)).toEqual([1, 4, 9]);
  expect(values(dx)).toEqual([2, 4, 6]);
  expect(values(dy)).toEqual([0, 0, 0]);
});

test("the gradient penalty example: Enzyme.gradient inside a loss, differentiated by gradient", () => {
  const small = Chain(Dense(3, 4, sigmoid), Dense(4, 2));
  const x = randn32(3, 2);
  const penalized = (m: Chain, x: Tensor) => {
    const [gx] = Enzyme.gradient(Reverse, (xx: Tensor) => sum(m.forward(xx)), x) as [Tensor];
    return sum(abs2(gx));
  };
  const dup = Duplicated(small);
  const [g] = gradient(penalized, dup, Const(x));
  const w = layer(small, 0).weight;
  // central difference on one weight, in Float32, with a step suited to Float32
  const at = 5, eps = 1e-2, saved = w.data[at]!;
  const evalP = () => Number(penalized(small, Tensor.concrete(x)));
  w.data[at] = saved + eps;
  const plus = evalP();
  w.data[at] = saved - eps;
  const minus = evalP();
  w.data[at] = saved;
  expectClose(g.layers[0]!.weight.data[at]!, (plus - minus) / (2 * eps), { rtol: 2e-2, atol: 1e-4 });
});

test("eager use: Number(loss(model, x1, y1)) is the loss and model.forward(x1).toNdarray() the prediction", () => {
  const p = values(model.forward(x1).toNdarray());
  expect(p).toHaveLength(10);
  expectClose(p.reduce((a, b) => a + b, 0), 1, { rtol: 1e-6 });
  expectClose(Number(loss(model, Tensor.concrete(x1), Tensor.concrete(y1))), p.reduce((s, v, i) => s + (v - values(y1)[i]!) ** 2, 0), { rtol: 1e-5 });
});

test("gradientGraph(...) takes the same arguments as gradient and shows the adjoint nodes", () => {
  const graph = gradientGraph(loss, dupModel, Const(x1), Const(y1));
  const text = String(graph);
  expect(text).toContain("matmul[transB]");
  expect(text).toContain("softmax[dims=(1,)]");
  expect(graph.stats().nodes.matmul).toBe(5); // 2 forward, 2 weight gradients, 1 input gradient of layer 2
});
