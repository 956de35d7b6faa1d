/** Hyperparameters are validated when a rule is made: a named error, with the rule and the field. */
import { Adam, AdamW, Momentum, Nesterov, RMSProp, AdaDelta, ClipNorm, ClipGrad, WeightDecay, Descent, AdaGrad, HyperparameterError } from "@tsflux/optim";

test.each([
  ["Adam(Infinity)", () => Adam(Infinity), "Adam: the learning rate must be finite (eta = Infinity)"],
  ["Adam(NaN)", () => Adam(NaN), "Adam: eta must be a number, got NaN"],
  ["Descent(-1)", () => Descent(-1), "Descent: the learning rate cannot be negative (eta = -1)"],
  ["Momentum(0.01, 2)", () => Momentum(0.01, 2), "Momentum: rho must lie in [0, 1), got 2"],
  ["Nesterov(0.01, -0.5)", () => Nesterov(0.01, -0.5), "Nesterov: rho must lie in [0, 1), got -0.5"],
  ["RMSProp(0.01, 1)", () => RMSProp(0.01, 1), "RMSProp: rho must lie in [0, 1), got 1"],
  ["AdaDelta(0.9, -1e-8)", () => AdaDelta(0.9, -1e-8), "AdaDelta: epsilon must be a finite number >= 0, got -1e-8"],
  ["AdaGrad(0.1, Infinity)", () => AdaGrad(0.1, Infinity), "AdaGrad: epsilon must be a finite number >= 0, got Infinity"],
  ["AdamW(0.1, [0.9, 0.999], -1)", () => AdamW(0.1, [0.9, 0.999], -1), "AdamW: lambda must be a finite number >= 0, got -1"],
  ["WeightDecay(NaN)", () => WeightDecay(NaN), "WeightDecay: lambda must be a finite number >= 0, got NaN"],
  ["ClipNorm(-1)", () => ClipNorm(-1), "ClipNorm: omega must be a finite number >= 0, got -1"],
  ["ClipNorm(1, 0)", () => ClipNorm(1, 0), "ClipNorm: p must be > 0 (Inf for the maximum norm), got 0"],
  ["ClipGrad(-3)", () => ClipGrad(-3), "ClipGrad: delta must be a finite number >= 0, got -3"],
])("%s is refused", (_label, make, message) => {
  expect(make).toThrow(HyperparameterError);
  expect(make).toThrow(message);
});

test.each([
  ["Momentum(2): a large learning rate is allowed, as in Optimisers.jl", () => Momentum(2), "Momentum(eta=2.0, rho=0.9)"],
  ["ClipNorm(1, Infinity): the maximum norm", () => ClipNorm(1, Infinity), "ClipNorm(1.0, Inf, true)"],
  ["RMSProp with rho = 0", () => RMSProp(0.01, 0), "RMSProp(eta=0.01, rho=0.0, epsilon=1.0e-8, centred=false)"],
])("%s", (_label, make, printed) => {
  expect(String(make())).toBe(printed);
});
