/** State trees: setup's shape, tied weights, frozen Leaves, Duplicated models, adjust, null gradients. */
import ndarray from "ndarray";
import type { NdArray } from "@tsflux/graph";
import {
  Adam, ClipGrad, Descent, Leaf, Momentum, OptimiserChain, RMSProp, WeightDecay, adjust, freeze, setup, thaw, update,
  type AdamState, type Rule,
} from "@tsflux/optim";
import { colMajor, fingerprint, rng, values } from "./helpers";

const r = rng(7);
const arr = (shape: number[]) => colMajor(Float32Array, shape, Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r()));
const copy = (a: NdArray) => colMajor(Float32Array, [...a.shape], values(a));

class Scale {
  constructor(public weight: NdArray, public running: NdArray, public name: string) {}
  trainable(): { weight: NdArray } {
    return { weight: this.weight };
  }
}

const duplicated = <T>(val: T, dval: T) => ({ val, dval, [Symbol.for("tsflux.duplicated")]: true as const });

describe("setup", () => {
  test("a Leaf per float array, [] for everything else, trainable() respected", () => {
    const model = {
      layers: [{ weight: arr([2, 3]), bias: arr([2]), activation: Math.tanh }, new Scale(arr([2]), arr([2]), "s")] as const,
      labels: ndarray(new Int32Array(3), [3]),
      size: 3,
      nothing: null,
    };
    const state = setup(Momentum(), model);
    expect(Object.keys(state)).toEqual(["layers", "labels", "size", "nothing"]);
    expect(state.layers[0].weight).toBeInstanceOf(Leaf);
    expect(state.layers[0].weight.state).toEqual(colMajor(Float32Array, [2, 3], [0, 0, 0, 0, 0, 0]));
    expect(state.layers[0].activation).toEqual([]);
    expect(state.layers[1].weight).toBeInstanceOf(Leaf);
    expect(state.layers[1].running).toEqual([]);
    expect(state.layers[1].name).toEqual([]);
    expect([state.labels, state.size, state.nothing]).toEqual([[], [], []]);
    expect(state.layers[0].weight.frozen).toBe(false);
  });

  test("a bare array gives a Leaf, updated on its own", () => {
    const x = colMajor(Float64Array, [2], [1, 2]);
    const state = setup(Descent(0.5), x);
    expect(state).toBeInstanceOf(Leaf);
    update(state, x, colMajor(Float64Array, [2], [2, 4]));
    expect(values(x)).toEqual([0, 0]);
  });

  test("no trainable parameters: a warning, as Optimisers.jl", () => {
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    expect(setup(Adam(), { f: Math.sin, n: 2 })).toEqual({ f: [], n: [] });
    expect(warn).toHaveBeenCalledWith("setup found no trainable parameters in this model");
    warn.mockRestore();
  });

  test("setup(rule, Duplicated(model)) deep-equals setup(rule, model)", () => {
    const model = { layers: [{ weight: arr([2, 3]), bias: arr([2]), activation: Math.tanh }] };
    const shadow = { layers: [{ weight: arr([2, 3]), bias: arr([2]), activation: Math.tanh }] };
    for (const rule of [Adam(), OptimiserChain(ClipGrad(1), Momentum()), RMSProp({ centred: true })] as Rule[]) {
      expect(setup(rule, duplicated(model, shadow))).toEqual(setup(rule, model));
    }
  });
});

describe("tied weights", () => {
  test("share one Leaf, get the sum of their gradients and one step", () => {
    const w = arr([3]);
    const tied = { enc: { weight: w }, dec: { weight: w } };
    const untied = { enc: { weight: copy(w) }, dec: { weight: arr([3]) } };
    const st = setup(Adam(0.1), tied), su = setup(Adam(0.1), untied);
    expect(st.enc.weight).toBe(st.dec.weight);
    for (let step = 0; step < 4; step++) {
      const g1 = arr([3]), g2 = arr([3]);
      update(st, tied, { enc: { weight: g1 }, dec: { weight: g2 } });
      const sum = colMajor(Float32Array, [3], values(g1).map((v, i) => Math.fround(v + values(g2)[i]!)));
      update(su, untied, { enc: { weight: sum }, dec: null });
    }
    expect(values(w)).toEqual(values(untied.enc.weight));
    expect(fingerprint(st.enc.weight)).toBe(fingerprint(su.enc.weight));
  });

  test("a null gradient at the second use (as Flux prunes it) steps once with the first", () => {
    const w = arr([3]), v = copy(w);
    const st = setup(Momentum(0.1), { a: w, b: w }), sv = setup(Momentum(0.1), { a: v });
    const g = arr([3]);
    update(st, { a: w, b: w }, { a: g, b: null });
    update(sv, { a: v }, { a: g });
    expect(values(w)).toEqual(values(v));
  });

  test("a Duplicated's tied shadow counts once (Optimisers.jl prunes repeats); an explicit tree is summed", () => {
    const f = (w: NdArray, v: number) => colMajor(Float32Array, [2], values(w).map((x) => Math.fround(x - v)));
    const w = colMajor(Float32Array, [2], [1, 2]), shadow = colMajor(Float32Array, [2], [0.5, 0.5]);
    const expected = f(w, 0.5);
    update(setup(Descent(1), { a: w, b: w }), duplicated({ a: w, b: w }, { a: shadow, b: shadow }));
    expect(values(w)).toEqual(values(expected));
    update(setup(Descent(1), { a: w, b: w }), { a: w, b: w }, { a: shadow, b: shadow });
    expect(values(w)).toEqual(values(f(expected, 1)));
  });
});

describe("freeze and thaw", () => {
  test("a frozen subtree keeps its parameters and state; thaw resumes", () => {
    const model = { layers: [{ weight: arr([2, 2]) }, { weight: arr([2]) }] };
    const state = setup(Adam(0.1), model);
    const grads = () => ({ layers: [{ weight: arr([2, 2]) }, { weight: arr([2]) }] });
    update(state, model, grads());
    freeze(state.layers[0]!);
    expect(state.layers[0]!.weight.frozen).toBe(true);
    const before = fingerprint([model.layers[0], state.layers[0]]);
    const other = fingerprint(model.layers[1]);
    update(state, model, grads());
    expect(fingerprint([model.layers[0], state.layers[0]])).toBe(before);
    expect(fingerprint(model.layers[1])).not.toBe(other);
    thaw(state);
    update(state, model, grads());
    expect(fingerprint([model.layers[0], state.layers[0]])).not.toBe(before);
    // Two steps taken (the frozen one skipped): βt = T.(β) .* β .* β, in Float32.
    const f = Math.fround, b1 = f(0.9), b2 = f(0.999);
    expect(Array.from((state.layers[0]!.weight as Leaf<AdamState>).state.betat)).toEqual([f(f(b1 * b1) * b1), f(f(b2 * b2) * b2)]);
  });
});

describe("update", () => {
  test("update(state, dup) uses dup.dval; update(state, dup, grads) uses grads", () => {
    const make = () => ({ layers: [{ weight: colMajor(Float32Array, [2], [1, 2]), activation: Math.tanh }] });
    const a = make(), b = make(), c = make();
    const g = { layers: [{ weight: colMajor(Float32Array, [2], [0.5, -1]), activation: Math.tanh }] };
    const sa = setup(Adam(), a), sb = setup(Adam(), duplicated(b, g)), sc = setup(Adam(), c);
    update(sa, a, g);
    update(sb, duplicated(b, g));
    update(sc, duplicated(c, make()), g);
    expect(values(b.layers[0]!.weight)).toEqual(values(a.layers[0]!.weight));
    expect(values(c.layers[0]!.weight)).toEqual(values(a.layers[0]!.weight));
    expect(fingerprint(sb)).toBe(fingerprint(sa));
  });

  test("null skips a Leaf or a whole branch, leaving its state untouched", () => {
    const model = { layers: [{ weight: arr([2]), bias: arr([2]) }, { weight: arr([2]) }] };
    const state = setup(Momentum(0.1), model);
    const before = fingerprint([model.layers[1], state.layers[1], model.layers[0]!.bias, state.layers[0]!.bias]);
    update(state, model, { layers: [{ weight: arr([2]), bias: null }, null] });
    expect(fingerprint([model.layers[1], state.layers[1], model.layers[0]!.bias, state.layers[0]!.bias])).toBe(before);
    expect(values((state.layers[0]!.weight as Leaf<NdArray>).state).every((v) => v !== 0)).toBe(true);
  });

  test("the gradient may be a class instance of the model's type, and the model a same-structure copy", () => {
    const model = new Model(arr([3]));
    const copyModel = new Model(copy(model.weight));
    const state = setup(Descent(1), model);
    update(state, copyModel, new Model(colMajor(Float32Array, [3], [1, 1, 1])));
    expect(values(copyModel.weight)).toEqual(values(model.weight).map((v) => Math.fround(v - 1)));
  });
});

class Model {
  constructor(public weight: NdArray, public activation: (x: number) => number = Math.tanh) {}
}

describe("adjust", () => {
  test("a new learning rate everywhere, or named fields on part of the tree; the state is kept", () => {
    const model = { a: { weight: arr([2]) }, b: { weight: arr([2]) } };
    const state = setup(Adam(), model);
    update(state, model, { a: { weight: arr([2]) }, b: { weight: arr([2]) } });
    const stateBefore = fingerprint([state.a.weight.state, state.b.weight.state]);
    adjust(state, 0.5);
    expect(String(state.a.weight.rule)).toBe("Adam(eta=0.5, beta=(0.9, 0.999), epsilon=1.0e-8)");
    adjust(state.b, { beta: [0.5, 0.6], nonsense: 1 });
    expect(String(state.a.weight.rule)).toBe("Adam(eta=0.5, beta=(0.9, 0.999), epsilon=1.0e-8)");
    expect(String(state.b.weight.rule)).toBe("Adam(eta=0.5, beta=(0.5, 0.6), epsilon=1.0e-8)");
    expect(fingerprint([state.a.weight.state, state.b.weight.state])).toBe(stateBefore);
  });

  test("OptimiserChain forwards to its members; a rule is adjusted into a new rule", () => {
    const state = setup(OptimiserChain(ClipGrad(1), WeightDecay(), Adam()), { w: arr([2]) });
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    adjust(state, { delta: 2, eta: 0.1, gamma: 0.01 });  // gamma: WeightDecay's deprecated name for lambda
    expect(warn).toHaveBeenCalledWith("The strength of WeightDecay is now field :lambda, not :gamma");
    warn.mockRestore();
    expect(String(state.w.rule)).toBe("OptimiserChain(ClipGrad(delta=2.0), WeightDecay(lambda=0.01), Adam(eta=0.1, beta=(0.9, 0.999), epsilon=1.0e-8))");
    const rule = Momentum();
    expect(String(adjust(rule, 0.3))).toBe("Momentum(eta=0.3, rho=0.9)");
    expect(String(rule)).toBe("Momentum(eta=0.01, rho=0.9)");
  });
});
