/** Every rule against an independent Float64 reimplementation, over several steps, on several layouts. */
import {
  AccumGrad, Adam, ClipGrad, Descent, Momentum, OptimiserChain, RULE_NAMES, WeightDecay, freeze, setup, update,
  type AdamState, type Leaf,
} from "@tsflux/optim";
import type { NdArray } from "@tsflux/graph";
import { CASES, type RuleCase } from "./cases";
import { colMajor, expectClose, rng, rowMajor, strided, values, type FloatCtor } from "./helpers";
import type { RefRule, Vec } from "./reference";

const ISSUE_RULES = [
  "Descent", "Momentum", "Nesterov", "RMSProp", "Adam", "RAdam", "AdaMax", "OAdam", "AdaGrad", "AdaDelta", "AMSGrad",
  "NAdam", "AdamW", "AdaBelief", "Lion", "Rprop", "WeightDecay", "SignDecay", "ClipGrad", "ClipNorm", "AccumGrad",
  "OptimiserChain",
];

test("RULE_NAMES holds exactly the rules of the issue, and every one has a reference case", () => {
  expect([...RULE_NAMES].sort()).toEqual([...ISSUE_RULES].sort());
  const covered = new Set(CASES.map((c) => c.name));
  for (const name of RULE_NAMES) expect({ name, covered: covered.has(name) }).toEqual({ name, covered: true });
  for (const c of CASES) expect(c.make().kind).toBe(c.name);
});

type Layout = "colMajor" | "rowMajor" | "strided";
const LAYOUTS: Record<Layout, (ctor: FloatCtor, shape: [number, number], v: readonly number[]) => NdArray> = {
  colMajor: (ctor, shape, v) => colMajor(ctor, shape, v),
  rowMajor: (ctor, shape, v) => rowMajor(ctor, shape, v),
  strided: (ctor, shape, v) => strided(ctor, shape, v),
};
const STEPS = 9;

/**
 * Runs `STEPS` updates of a two-parameter model (a 3×4 matrix in the given layout, a 5-vector) with
 * pseudo-random gradients (the matrix's gradient in the other memory order), and compares both parameters
 * after every step with the reference run on plain Float64 arrays.
 */
function compareWithReference(rc: RuleCase, ctor: FloatCtor, layout: Layout): void {
  const r = rng(17);
  const a0 = Array.from({ length: 12 }, () => r() * 2);
  const b0 = Array.from({ length: 5 }, () => r());
  const model = { a: LAYOUTS[layout](ctor, [3, 4], a0), b: colMajor(ctor, [5], b0), act: Math.tanh, n: 3 };
  const state = setup(rc.make(), model);
  const refs: [RefRule, unknown, Vec][] = [values(model.a), values(model.b)].map((x0) => {
    const rule = rc.ref();
    return [rule, rule.init(x0), [...x0]];
  });
  const [rtol, atol] = ctor === Float64Array ? [1e-11, 1e-14] : [3e-6, 3e-6];
  for (let step = 1; step <= STEPS; step++) {
    const ga = Array.from({ length: 12 }, () => r() * 1.5);
    const gb = Array.from({ length: 5 }, () => r() * 0.5);
    const grads = { a: layout === "rowMajor" ? colMajor(ctor, [3, 4], ga) : rowMajor(ctor, [3, 4], ga), b: colMajor(ctor, [5], gb), act: null, n: null };
    update(state, model, grads);
    [values(grads.a), values(grads.b)].forEach((g, j) => {
      const [rule, st, x] = refs[j]!;
      const dx = rule.step(st, [...x], g);
      if (dx !== null) x.forEach((xi, i) => (x[i] = xi - dx[i]!));
      // Float32 runs: the reference sees the same rounded parameters Julia's Float32 arithmetic would.
      if (ctor === Float32Array) x.forEach((xi, i) => (x[i] = Math.fround(xi)));
    });
    expectClose(values(model.a), refs[0]![2], rtol, atol, `${rc.label} ${layout} step ${step} a`);
    expectClose(values(model.b), refs[1]![2], rtol, atol, `${rc.label} ${layout} step ${step} b`);
  }
}

describe.each(CASES.map((c) => [c.label, c] as const))("%s", (_label, rc) => {
  test("matches the Float64 reference (column-major, row-major and strided parameters)", () => {
    for (const layout of ["colMajor", "rowMajor", "strided"] as const) compareWithReference(rc, Float64Array, layout);
  });
  test("Float32 parameters follow the reference to Float32 accuracy", () => {
    compareWithReference(rc, Float32Array, "colMajor");
  });
});

test("Adam's bias correction comes from a per-Leaf (β₁ᵗ, β₂ᵗ), advanced only when that Leaf steps", () => {
  const x = colMajor(Float64Array, [2], [1, 2]), y = colMajor(Float64Array, [2], [3, 4]);
  const model = { x, y };
  const state = setup(Adam(0.01, [0.8, 0.9]), model);
  const g = colMajor(Float64Array, [2], [0.5, -0.5]);
  for (let t = 1; t <= 4; t++) update(state, model, { x: g, y: t % 2 === 0 ? g : null });
  const bx = (state.x as Leaf<AdamState>).state.betat, by = (state.y as Leaf<AdamState>).state.betat;
  expectClose(Array.from(bx), [0.8 ** 5, 0.9 ** 5], 1e-15, 0, "βt of x after 4 steps");
  expectClose(Array.from(by), [0.8 ** 3, 0.9 ** 3], 1e-15, 0, "βt of y after 2 steps");
});

describe("Optimisers.jl's documented examples", () => {
  test("OptimiserChain(ClipGrad(1.0), Descent(0.1)) clips before discounting", () => {
    const m = { v: colMajor(Float64Array, [3], [0, 0, 0]) };
    update(setup(OptimiserChain(ClipGrad(1.0), Descent(0.1)), m), m, { v: colMajor(Float64Array, [3], [0.3, 1, 7]) });
    expectClose(values(m.v), [-0.03, -0.1, -0.1], 1e-15, 0, "x");
  });

  test("AccumGrad(2) in a chain: no change, then both gradients applied at once", () => {
    const m = { x: colMajor(Float32Array, [1], [1]), y: colMajor(Float32Array, [1], [2]) };
    const s = setup(OptimiserChain(AccumGrad(2), WeightDecay(0.01), Descent(0.1)), m);
    update(s, m, { x: colMajor(Float64Array, [1], [33]), y: colMajor(Float64Array, [1], [0]) });
    expect([values(m.x), values(m.y)]).toEqual([[1], [2]]);
    update(s, m, { x: colMajor(Float64Array, [1], [0]), y: colMajor(Float64Array, [1], [444]) });
    expect(values(m.x)[0]).toBe(Math.fround(-0.651));
    expect(values(m.y)[0]).toBe(Math.fround(-20.202002));
  });

  test("freeze: a frozen branch keeps its value while the rest steps (Momentum with η = 0.01f0)", () => {
    const m = { x: [colMajor(Float64Array, [1], [1]), 2.0], y: colMajor(Float64Array, [1], [3]) };
    const s = setup(Momentum(Math.fround(0.01)), m);
    freeze(s.x);
    update(s, m, { x: [colMajor(Float64Array, [1], [Math.PI]), 10 * Math.PI], y: colMajor(Float64Array, [1], [100 * Math.PI]) });
    expect(values(m.x[0] as NdArray)).toEqual([1]);
    expect(values(m.y)).toEqual([-0.14159258336972558]);
  });
});

describe("constructors", () => {
  test("positional and keyword forms give the same rule, with Optimisers.jl's defaults", () => {
    expect({ ...Adam() }).toEqual({ eta: 0.001, beta: [0.9, 0.999], epsilon: 1e-8 });
    expect({ ...Adam(0.01, [0.8, 0.9]) }).toEqual({ ...Adam({ eta: 0.01, beta: [0.8, 0.9] }) });
    expect({ ...Momentum() }).toEqual({ eta: 0.01, rho: 0.9 });
    expect({ ...Descent() }).toEqual({ eta: 0.1 });
  });
  test("rules are immutable", () => {
    const r = Adam();
    expect(Object.isFrozen(r)).toBe(true);
    expect(Object.isFrozen(r.beta)).toBe(true);
    expect(Object.isFrozen(OptimiserChain(r).opts)).toBe(true);
  });
});
