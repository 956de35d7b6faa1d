/** Bad inputs: named errors, and every parameter and every piece of optimiser state exactly as before. */
import ndarray from "ndarray";
import { DTypeError, ShapeError } from "@tsflux/graph";
import {
  AccumGrad, Adam, ClipNorm, HyperparameterError, Momentum, NonFiniteGradientError, OptimiserChain, OptimiserError,
  RMSProp, TreeMismatchError, WeightDecay, adjust, freeze, setup, update, type Rule,
} from "@tsflux/optim";
import { colMajor, fingerprint, rng, values } from "./helpers";

let r = rng(3);
const arr = (shape: number[], ctor: Float32ArrayConstructor | Float64ArrayConstructor = Float32Array) =>
  colMajor(ctor, shape, Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r()));

/** The same model for the same seed. */
function makeModel(seed = 3) {
  r = rng(seed);
  return { layers: [
    { weight: arr([3, 2]), bias: arr([3]), activation: Math.tanh },
    { weight: arr([1, 3]), bias: arr([1]), activation: Math.abs },
  ] };
}
type Model = ReturnType<typeof makeModel>;

/** The same gradient tree for the same seed. */
function gradsFor(m: Model, seed = 11) {
  r = rng(seed);
  return { layers: m.layers.map((l) => ({ weight: arr(l.weight.shape), bias: arr(l.bias.shape), activation: null })) };
}

/** Runs `f`, expecting `error` with a message matching `message`, and model and state unchanged. */
function expectRejected(model: unknown, state: unknown, f: () => unknown, error: new (...a: never[]) => Error, message: RegExp): void {
  const before = fingerprint([model, state]);
  let thrown: unknown;
  try {
    f();
  } catch (e) {
    thrown = e;
  }
  expect(thrown).toBeInstanceOf(error);
  expect((thrown as Error).message).toMatch(message);
  expect(fingerprint([model, state])).toBe(before);
}

/** A model and an Adam state that has already taken a step, so state changes would show. */
function warm(rule: Rule = Adam()) {
  const model = makeModel();
  const state = setup(rule, model);
  update(state, model, gradsFor(model));
  return { model, state };
}

describe("a gradient tree of another structure or shape: the error names the path", () => {
  test("a missing key", () => {
    const { model, state } = warm();
    const g = gradsFor(model) as { layers: Record<string, unknown>[] };
    delete g.layers[1]!.bias;
    expectRejected(model, state, () => update(state, model, g), TreeMismatchError, /at \.layers\[1\]\.bias/);
  });

  test("an extra key", () => {
    const { model, state } = warm();
    const g = { ...gradsFor(model), extra: arr([2]) };
    expectRejected(model, state, () => update(state, model, g), TreeMismatchError, /key "extra" at \(root\)/);
  });

  test("an array of another length", () => {
    const { model, state } = warm();
    const g = gradsFor(model);
    g.layers.push(g.layers[0]!);
    expectRejected(model, state, () => update(state, model, g), TreeMismatchError, /at \.layers: expected an array of length 2/);
  });

  test("a parameter's gradient of another shape (checked before the earlier Leaves are stepped)", () => {
    const { model, state } = warm();
    const g = gradsFor(model);
    g.layers[1]!.bias = arr([4]);
    expectRejected(model, state, () => update(state, model, g), ShapeError,
      /gradient at \.layers\[1\]\.bias has shape \[4\], but the parameter has shape \[1\]/);
  });

  test("a number, or an integer array, where a gradient array should be", () => {
    const { model, state } = warm();
    const g1 = gradsFor(model) as { layers: Record<string, unknown>[] };
    g1.layers[0]!.weight = 3;
    expectRejected(model, state, () => update(state, model, g1), TreeMismatchError, /at \.layers\[0\]\.weight: expected a gradient array \[3, 2\] or null, got number 3/);
    const g2 = gradsFor(model) as { layers: Record<string, unknown>[] };
    g2.layers[0]!.bias = ndarray(new Int32Array(3), [3]);
    expectRejected(model, state, () => update(state, model, g2), DTypeError, /\.layers\[0\]\.bias/);
  });

  test("the whole result of gradient(...) instead of its first element", () => {
    const { model, state } = warm();
    expectRejected(model, state, () => update(state, model, [gradsFor(model), null, null]), TreeMismatchError, /gradient\(\.\.\.\)\[0\]/);
  });
});

describe("a state tree from another model", () => {
  test("another structure", () => {
    const { model, state } = warm();
    const other = { layers: [makeModel().layers[0]!] };
    expectRejected(other, state, () => update(state, other, { layers: [gradsFor(model).layers[0]] }), TreeMismatchError,
      /state tree does not match the model at \.layers: expected an array of length 2/);
  });

  test("other keys", () => {
    const { model, state } = warm();
    const other = { layers: [{ w: arr([3, 2]), bias: arr([3]), activation: Math.tanh }, model.layers[1]!] };
    expectRejected(other, state, () => update(state, other, { layers: [null, null] }), TreeMismatchError,
      /at \.layers\[0\]: expected an object with keys \[weight, bias, activation\]/);
  });

  test("other shapes or element types", () => {
    const { state } = warm();
    const wider = makeModel();
    wider.layers[1]!.weight = arr([1, 4]);
    expectRejected(wider, state, () => update(state, wider, gradsFor(wider)), TreeMismatchError,
      /at \.layers\[1\]\.weight: expected a Float32 array \[1, 3\] as at setup, the model has Float32 array \[1, 4\]/);
    const f64 = makeModel();
    f64.layers[0]!.bias = arr([3], Float64Array);
    expectRejected(f64, state, () => update(state, f64, gradsFor(f64)), TreeMismatchError, /\.layers\[0\]\.bias.*Float64 array \[3\]/);
  });

  test("tied at setup, untied now", () => {
    const w = arr([2]);
    const state = setup(Adam(), { a: w, b: w });
    const untied = { a: w, b: arr([2]) };
    expectRejected(untied, state, () => update(state, untied, { a: arr([2]), b: arr([2]) }), TreeMismatchError, /\.b shares its Leaf with \.a/);
  });

  test("the model given in place of the state", () => {
    const model = makeModel();
    expect(() => update(model, model, gradsFor(model))).toThrow(OptimiserError);
  });
});

describe("hyperparameters", () => {
  test("a negative learning rate, at construction and in adjust", () => {
    expect(() => Adam(-0.1)).toThrow(HyperparameterError);
    expect(() => Adam(-0.1)).toThrow("Adam: the learning rate cannot be negative (eta = -0.1)");
    expect(() => Momentum({ eta: -1 })).toThrow(/Momentum: the learning rate cannot be negative/);
    expect(() => Adam(Number.NaN)).toThrow(/Adam: eta must be a number, got NaN/);
    const { model, state } = warm(OptimiserChain(WeightDecay(), Adam()));
    expectRejected(model, state, () => adjust(state, -0.5), HyperparameterError, /learning rate cannot be negative/);
    expectRejected(model, state, () => adjust(state, { eta: -0.5 }), HyperparameterError, /learning rate cannot be negative/);
  });

  test("betas outside [0, 1)", () => {
    for (const beta of [[1, 0.999], [0.9, 1], [-0.1, 0.9], [0.9, 1.5]] as [number, number][]) {
      expect(() => Adam(0.001, beta)).toThrow(HyperparameterError);
      expect(() => Adam(0.001, beta)).toThrow(`Adam: each beta must lie in [0, 1), got beta = [${beta.join(", ")}]`);
    }
    expect(() => Adam(0.001, [0.9] as unknown as [number, number])).toThrow(/beta must be a pair/);
    const { model, state } = warm();
    expectRejected(model, state, () => adjust(state, { beta: [0.9, 1] }), HyperparameterError, /each beta must lie in \[0, 1\)/);
  });

  test("other invalid hyperparameters", () => {
    expect(() => AccumGrad(0)).toThrow("AccumGrad: must accumulate at least one gradient (n = 0)");
    expect(() => AccumGrad(1.5)).toThrow(HyperparameterError);
    expect(() => Adam({ lr: 0.1 } as never)).toThrow(`Adam: unknown hyperparameter "lr"; the fields are eta, beta, epsilon`);
    expect(() => RMSProp(0.1, 0.9, 1e-8, { centred: "yes" } as never)).toThrow(/centred must be true or false/);
    expect(() => (Adam as (...a: unknown[]) => unknown)(0.1, [0.9, 0.99], 1e-8, 5)).toThrow(/at most 3 arguments/);
    const { model, state } = warm(RMSProp());
    expectRejected(model, state, () => adjust(state, { centred: true }), OptimiserError, /adjust\(RMSProp; centred\) is not allowed/);
    expectRejected(model, state, () => adjust(state, {}), OptimiserError, /must be given something to act on/);
  });
});

describe("non-finite gradients", () => {
  test("ClipNorm: a NaN norm raises before any Leaf is stepped, naming the path", () => {
    for (const rule of [ClipNorm(1), OptimiserChain(WeightDecay(), ClipNorm(1, Infinity), Adam())]) {
      const { model, state } = warm(rule);
      const g = gradsFor(model);
      g.layers[1]!.weight.data[2] = Number.NaN;
      expectRejected(model, state, () => update(state, model, g), NonFiniteGradientError,
        /^update: at \.layers\[1\]\.weight \(Float32 array \[1, 3\]\): ClipNorm: gradient has (2\.0|Inf)-norm NaN$/);
    }
    const { model, state } = warm(ClipNorm(1, 2, { throw: false }));
    const before = values(model.layers[0]!.bias);
    const g = gradsFor(model);
    g.layers[0]!.bias.data[0] = Number.POSITIVE_INFINITY;
    update(state, model, g);
    // λ = min(1/Inf, 1) = 0, so the step is g·0: NaN where g is Inf, 0 elsewhere.
    expect(values(model.layers[0]!.bias)).toEqual([Number.NaN, before[1], before[2]]);
  });

  test("NaN gradients propagate into their own parameter only, as in Optimisers.jl", () => {
    const a = warm(), b = warm();
    const g = gradsFor(a.model, 12);
    const gNaN = { layers: g.layers.map((l) => ({ ...l, bias: colMajor(Float32Array, l.bias.shape, values(l.bias)) })) };
    gNaN.layers[0]!.bias.data[1] = Number.NaN;
    update(a.state, a.model, g);
    update(b.state, b.model, gNaN);
    const bias = values(b.model.layers[0]!.bias);
    expect(bias.map(Number.isNaN)).toEqual([false, true, false]);
    expect(bias[0]).toBe(values(a.model.layers[0]!.bias)[0]);
    expect(fingerprint(b.model.layers[1])).toBe(fingerprint(a.model.layers[1]));
    expect(fingerprint(b.state.layers[1])).toBe(fingerprint(a.state.layers[1]));
    expect(fingerprint(b.model.layers[0]!.weight)).toBe(fingerprint(a.model.layers[0]!.weight));
  });
});

describe("misuse", () => {
  test("update without a gradient, freeze on a model, a nested Duplicated", () => {
    const { model, state } = warm();
    expectRejected(model, state, () => update(state, model), OptimiserError, /no gradient given/);
    expectRejected(model, state, () => freeze(model), OptimiserError, /must not be applied to a model, only to the state tree from setup/);
    const dup = { val: model, dval: model, [Symbol.for("tsflux.duplicated")]: true };
    expect(() => setup(Adam(), { inner: dup })).toThrow(/only supported at top level/);
    expect(() => setup(Adam as never, model)).toThrow(/did you mean Adam\(\)\?/);
  });
});
