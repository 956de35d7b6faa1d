/**
 * Printing as Optimisers.jl 0.4.8 prints: rules (the `@def` show), Leaves (state in Julia's compact show),
 * state trees (NamedTuples and Tuples), and Julia's float formatting. Expected strings are written from
 * Julia's rules and Optimisers.jl / Flux doctests, not from this package's output.
 */
import { inspect } from "node:util";
import type { NdArray } from "@tsflux/graph";
import {
  AccumGrad, AdaBelief, AdaDelta, AdaGrad, AdaMax, Adam, AdamW, AMSGrad, ClipGrad, ClipNorm, Descent, Lion, Momentum,
  NAdam, Nesterov, OAdam, OptimiserChain, RAdam, RMSProp, Rprop, SignDecay, WeightDecay,
  adjust, freeze, juliaArray, juliaFloat, setup, update, type Leaf, type Rule,
} from "@tsflux/optim";
import { colMajor, rowMajor } from "./helpers";

const zeros64 = (...shape: number[]) => colMajor(Float64Array, shape, new Array(shape.reduce((a, b) => a * b, 1)).fill(0));
const zeros32 = (...shape: number[]) => colMajor(Float32Array, shape, new Array(shape.reduce((a, b) => a * b, 1)).fill(0));

describe("Julia's float printing", () => {
  test.each([
    [0.001, "0.001"], [1e-8, "1.0e-8"], [0.1, "0.1"], [50, "50.0"], [1e-6, "1.0e-6"], [5e-4, "0.0005"], [1e-4, "0.0001"],
    [1e-5, "1.0e-5"], [123456, "123456.0"], [1234567, "1.234567e6"], [1e6, "1.0e6"], [100000, "100000.0"], [1e16, "1.0e16"],
    [-0, "-0.0"], [-2.5, "-2.5"], [Number.NaN, "NaN"], [Infinity, "Inf"], [-Infinity, "-Inf"],
    [0.30000000000000004, "0.30000000000000004"], [1.5e300, "1.5e300"], [2.5e-310, "2.5e-310"],
  ])("print(%p) == %p", (x, text) => {
    expect(juliaFloat(x)).toBe(text);
  });

  test("compact (6 significant digits) and Float32", () => {
    expect(juliaFloat(0.0031622776601683794, { compact: true })).toBe("0.00316228");
    expect(juliaFloat(123456789, { compact: true })).toBe("1.23457e8");
    expect(juliaFloat(0.999999999, { compact: true })).toBe("1.0");
    const f = Math.fround;
    expect(juliaFloat(f(0.1), { f32: true, typed: true })).toBe("0.1f0");
    expect(juliaFloat(f(f(0.9) * f(0.9)), { f32: true, typed: true })).toBe("0.80999994f0");
    expect(juliaFloat(f(f(0.9) * f(0.9)), { f32: true, compact: true })).toBe("0.81");
    expect(juliaFloat(f(1e-8), { f32: true, compact: true })).toBe("1.0f-8");
  });
});

describe("rules print as Optimisers.jl's show", () => {
  test.each([
    [Descent(), "Descent(0.1)"],
    [Momentum(), "Momentum(eta=0.01, rho=0.9)"],
    [Nesterov(), "Nesterov(eta=0.001, rho=0.9)"],
    [RMSProp(), "RMSProp(eta=0.001, rho=0.9, epsilon=1.0e-8, centred=false)"],
    [Rprop(), "Rprop(eta=0.001, ell=(0.5, 1.2), gamma=(1.0e-6, 50.0))"],
    [Adam(), "Adam(eta=0.001, beta=(0.9, 0.999), epsilon=1.0e-8)"],
    [RAdam(), "RAdam(eta=0.001, beta=(0.9, 0.999), epsilon=1.0e-8)"],
    [AdaMax(), "AdaMax(eta=0.001, beta=(0.9, 0.999), epsilon=1.0e-8)"],
    [OAdam(), "OAdam(eta=0.001, beta=(0.5, 0.9), epsilon=1.0e-8)"],
    [AdaGrad(), "AdaGrad(eta=0.1, epsilon=1.0e-8)"],
    [AdaDelta(), "AdaDelta(rho=0.9, epsilon=1.0e-8)"],
    [AMSGrad(), "AMSGrad(eta=0.001, beta=(0.9, 0.999), epsilon=1.0e-8)"],
    [NAdam(), "NAdam(eta=0.001, beta=(0.9, 0.999), epsilon=1.0e-8)"],
    [AdamW(), "AdamW(eta=0.001, beta=(0.9, 0.999), lambda=0.0, epsilon=1.0e-8, couple=true)"],
    [AdaBelief(), "AdaBelief(eta=0.001, beta=(0.9, 0.999), epsilon=1.0e-16)"],
    [Lion(), "Lion(eta=0.001, beta=(0.9, 0.999))"],
    [WeightDecay(), "WeightDecay(lambda=0.0005)"],
    [SignDecay(), "SignDecay(lambda=0.001)"],
    [ClipGrad(), "ClipGrad(delta=10.0)"],
    [ClipNorm(), "ClipNorm(10.0, 2.0, true)"],
    [AccumGrad(2), "AccumGrad(2)"],
    [OptimiserChain(), "OptimiserChain()"],
    [Adam(1), "Adam(eta=1.0, beta=(0.9, 0.999), epsilon=1.0e-8)"],
  ] as [Rule, string][])("%s", (rule, text) => {
    expect(String(rule)).toBe(text);
    expect(inspect(rule)).toBe(text);
  });

  test("the TSDoc examples", () => {
    expect(String(Descent(0.1))).toBe("Descent(0.1)");
    expect(String(RMSProp(0.001, 0.9, 1e-8, { centred: true }))).toBe("RMSProp(eta=0.001, rho=0.9, epsilon=1.0e-8, centred=true)");
    expect(String(ClipGrad(1))).toBe("ClipGrad(delta=1.0)");
    expect(String(ClipNorm(1, Infinity, { throw: false }))).toBe("ClipNorm(1.0, Inf, false)");
    expect(String(AccumGrad(4))).toBe("AccumGrad(4)");
    expect(String(OptimiserChain(ClipGrad(1), Descent(0.1)))).toBe("OptimiserChain(ClipGrad(delta=1.0), Descent(0.1))");
  });
});

describe("Leaves and state trees", () => {
  test("Flux's setup doctest: a NamedTuple with a Leaf per array and () for the activation", () => {
    const state = setup(Momentum(0.1), { weight: zeros64(1, 2), bias: zeros64(1), σ: Math.tanh });
    expect(String(state)).toBe("(weight = Leaf(Momentum(eta=0.1, rho=0.9), [0.0 0.0]), bias = Leaf(Momentum(eta=0.1, rho=0.9), [0.0]), σ = ())");
    expect(inspect(state)).toBe(String(state));
  });

  test("Optimisers.jl's adjust doctest (Nesterov on a Float32 vector)", () => {
    const m = { vec: colMajor(Float32Array, [2], [0.3, 0.7]), fun: Math.sin };
    const st = setup(Nesterov(), m);
    expect(String(st)).toBe("(vec = Leaf(Nesterov(eta=0.001, rho=0.9), Float32[0.0, 0.0]), fun = ())");
    update(st, m, { vec: colMajor(Float32Array, [2], [16, 88]), fun: null });
    expect(String(st)).toBe("(vec = Leaf(Nesterov(eta=0.001, rho=0.9), Float32[-0.016, -0.088]), fun = ())");
    adjust(st, 0.123);
    expect(String(st)).toBe("(vec = Leaf(Nesterov(eta=0.123, rho=0.9), Float32[-0.016, -0.088]), fun = ())");
  });

  test("OptimiserChain's doctest: a Tuple model gives a Tuple state", () => {
    expect(String(setup(OptimiserChain(ClipGrad(1.0), Descent(0.1)), [zeros64(3)])))
      .toBe("(Leaf(OptimiserChain(ClipGrad(delta=1.0), Descent(0.1)), (nothing, nothing)),)");
  });

  test("Adam's Leaf, fresh and after a step (βt as a Float32 tuple)", () => {
    const x = zeros32(2);
    const leaf = setup(Adam(), x) as Leaf;
    expect(String(leaf)).toBe("Leaf(Adam(eta=0.001, beta=(0.9, 0.999), epsilon=1.0e-8), (Float32[0.0, 0.0], Float32[0.0, 0.0], (0.9, 0.999)))");
    update(leaf, x, colMajor(Float32Array, [2], [1, 1]));
    expect(String(leaf)).toBe(
      "Leaf(Adam(eta=0.001, beta=(0.9, 0.999), epsilon=1.0e-8), (Float32[0.1, 0.1], Float32[0.000999987, 0.000999987], (0.81, 0.998001)))");
  });

  test("other states: counters, false, ϵ-filled arrays; frozen Leaves", () => {
    expect(String(setup(RAdam(), zeros32(1)))).toBe("Leaf(RAdam(eta=0.001, beta=(0.9, 0.999), epsilon=1.0e-8), (Float32[0.0], Float32[0.0], (0.9, 0.999), 1))");
    expect(String(setup(AccumGrad(2), zeros32(1)))).toBe("Leaf(AccumGrad(2), (Float32[0.0], 1))");
    expect(String(setup(RMSProp(), zeros32(1)))).toBe("Leaf(RMSProp(eta=0.001, rho=0.9, epsilon=1.0e-8, centred=false), (Float32[0.0], false))");
    expect(String(setup(AdaGrad(), zeros64(2)))).toBe("Leaf(AdaGrad(eta=0.1, epsilon=1.0e-8), [1.0e-8, 1.0e-8])");
    expect(String(setup(AMSGrad(), zeros32(1)))).toBe("Leaf(AMSGrad(eta=0.001, beta=(0.9, 0.999), epsilon=1.0e-8), (Float32[1.0f-8], Float32[1.0f-8], Float32[1.0f-8]))");
    const state = setup(Descent(), { a: zeros32(1), b: [zeros32(1), 3] });
    freeze(state.a);
    expect(String(state)).toBe("(a = Leaf(Descent(0.1), nothing, frozen = true), b = (Leaf(Descent(0.1), nothing), ()))");
  });

  test("with colours, as printstyled: green, cyan when frozen", () => {
    const leaf = setup(Descent(), zeros32(1)) as Leaf;
    expect(inspect(leaf, { colors: true })).toBe("\x1b[32mLeaf(Descent(0.1), \x1b[39mnothing\x1b[32m)\x1b[39m");
    leaf.frozen = true;
    expect(inspect(leaf, { colors: true })).toBe("\x1b[36mLeaf(Descent(0.1), \x1b[39mnothing\x1b[36m, frozen = true)\x1b[39m");
  });
});

describe("arrays, as Julia's show at the REPL (limited)", () => {
  const ramp = (shape: number[], f: (idx: number[]) => number): NdArray => {
    const n = shape.reduce((a, b) => a * b, 1);
    const v: number[] = [];
    for (let k = 0; k < n; k++) {
      const idx: number[] = [];
      let r = k;
      for (const d of shape) {
        idx.push(r % d);
        r = Math.floor(r / d);
      }
      v.push(f(idx));
    }
    return colMajor(Float64Array, shape, v);
  };

  test("vectors beyond 20 elements keep 10 at each end", () => {
    expect(juliaArray(ramp([25], ([i]) => i!), true)).toBe(
      "[0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0  …  15.0, 16.0, 17.0, 18.0, 19.0, 20.0, 21.0, 22.0, 23.0, 24.0]");
  });

  test("matrices beyond 4 rows or columns keep 2 at each end; one column ends with ;;", () => {
    expect(juliaArray(ramp([5, 6], ([i, j]) => i! + 10 * j!), true)).toBe(
      "[0.0 10.0 … 40.0 50.0; 1.0 11.0 … 41.0 51.0; … ; 3.0 13.0 … 43.0 53.0; 4.0 14.0 … 44.0 54.0]");
    expect(juliaArray(zeros64(3, 1), true)).toBe("[0.0; 0.0; 0.0;;]");
    expect(juliaArray(rowMajor(Float32Array, [2, 2], [1, 2, 3, 4]), true)).toBe("Float32[1.0 3.0; 2.0 4.0]");
  });

  test("higher dimensions, zero dimensions, empty arrays", () => {
    expect(juliaArray(ramp([2, 2, 2], ([i, j, k]) => i! + 2 * j! + 4 * k!), true)).toBe("[0.0 2.0; 1.0 3.0;;; 4.0 6.0; 5.0 7.0]");
    expect(juliaArray(ramp([2, 2, 1], ([i, j]) => i! + 2 * j!), true)).toBe("[0.0 2.0; 1.0 3.0;;;]");
    expect(juliaArray(colMajor(Float64Array, [], [2]), true)).toBe("fill(2.0)");
    expect(juliaArray(zeros32(0), true)).toBe("Float32[]");
    expect(juliaArray(zeros64(0, 3), true)).toBe("Matrix{Float64}(undef, 0, 3)");
  });
});
