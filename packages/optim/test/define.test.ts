/**
 * defineRule as a user meets it: a rule written outside the package (Optimisers.jl's documentation example,
 * DecayDescent: η/√t · g with a step counter t) gets constructors, validation, printing, adjust and update;
 * a bias-corrected rule gets (β₁ᵗ, β₂ᵗ); misdeclared rules are refused with the rule's name.
 */
import { wrapColMajor } from "@tsflux/graph";
import { adjust, betaPowers, betas, defineRule, HyperparameterError, OptimiserError, rate, setup, stateLike, update } from "@tsflux/optim";

const { sqrt } = Math;

const DecayDescent = defineRule({
  kind: "DecayDescent",
  hyper: [rate("eta", 1.0)],
  coefficients: (h, T) => ({ eta: T(h.eta) }),
  init: () => ({ t: 1 }),
  step({ eta }, state, s) {
    const scale = eta / sqrt(state.t);
    for (let i = 0; i < s.n; i++) s.put(i, scale * s.g[s.go + i]!);  // dx′ = η/√t · g
    state.t += 1;
  },
});

test("a rule defined outside the package: constructors, printing, validation, adjust, update", () => {
  expect({ ...DecayDescent(0.5) }).toEqual({ eta: 0.5 });
  expect({ ...DecayDescent({ eta: 0.5 }) }).toEqual({ eta: 0.5 });
  expect(String(DecayDescent())).toBe("DecayDescent(eta=1.0)");
  expect(() => DecayDescent(-1)).toThrow(new HyperparameterError("DecayDescent: the learning rate cannot be negative (eta = -1)"));
  expect(String(adjust(DecayDescent(), 0.25))).toBe("DecayDescent(eta=0.25)");

  const model = { w: wrapColMajor(Float64Array.from([1, 2, 3]), [3]) };
  const state = setup(DecayDescent(0.5), model);
  const g = [0.3, -0.6, 0.9];
  let expected = [1, 2, 3];
  for (let t = 1; t <= 4; t++) {
    update(state, model, { w: wrapColMajor(Float64Array.from(g), [3]) });
    expected = expected.map((x, i) => x - (0.5 / Math.sqrt(t)) * g[i]!);
    expect(Array.from(model.w.data as Float64Array)).toEqual(expected);
  }
});

test("biasCorrection: s.c1, s.c2 are 1 − βᵗ during step t, and betat advances after it", () => {
  const seen: [number, number][] = [];
  const Probe = defineRule({
    kind: "Probe",
    hyper: [betas("beta", [0.5, 0.25])],
    coefficients: (h, T) => ({ b1: T(h.beta[0]), b2: T(h.beta[1]) }),
    init: (x, h) => ({ betat: betaPowers(h.beta, x) }),
    biasCorrection: true,
    step(_k, _state, s) {
      seen.push([s.c1, s.c2]);
    },
  });
  const model = { w: wrapColMajor(new Float64Array(2), [2]) };
  const state = setup(Probe(), model);
  for (let t = 0; t < 3; t++) update(state, model, { w: wrapColMajor(new Float64Array(2), [2]) });
  expect(seen).toEqual([[1 - 0.5, 1 - 0.25], [1 - 0.25, 1 - 0.0625], [1 - 0.125, 1 - 0.015625]]);
  expect(Array.from((state.w.state as { betat: Float64Array }).betat)).toEqual([0.0625, 0.00390625]);
});

test("a bias-corrected rule without b1, b2 or without betat is refused, naming the rule", () => {
  const NoBetas = defineRule({
    kind: "NoBetas", hyper: [rate("eta", 0.1)], coefficients: (h) => ({ eta: h.eta }),
    biasCorrection: true, step: () => undefined,
  });
  expect(() => NoBetas()).toThrow(new OptimiserError("NoBetas: biasCorrection needs coefficients b1 and b2"));
  const NoPowers = defineRule({
    kind: "NoPowers", hyper: [betas("beta", [0.9, 0.99])], coefficients: (h) => ({ b1: h.beta[0], b2: h.beta[1] }),
    init: (x) => ({ m: stateLike(x) }), biasCorrection: true, step: () => undefined,
  });
  expect(() => setup(NoPowers(), { w: wrapColMajor(new Float64Array(2), [2]) }))
    .toThrow(new OptimiserError("NoPowers: biasCorrection needs the state to hold betat (betaPowers)"));
});
