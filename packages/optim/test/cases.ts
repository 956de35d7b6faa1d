/**
 * One or more cases per rule: how to build it, its independent reference (reference.ts), and a
 * configuration for training a small MLP. `rules.test.ts` checks that every name in RULE_NAMES has a case.
 */
import {
  AccumGrad, AdaBelief, AdaDelta, AdaGrad, AdaMax, Adam, AdamW, AMSGrad, ClipGrad, ClipNorm, Descent, Lion,
  Momentum, NAdam, Nesterov, OAdam, OptimiserChain, RAdam, RMSProp, Rprop, SignDecay, WeightDecay,
  type Rule, type RuleName,
} from "@tsflux/optim";
import * as R from "./reference";

export interface RuleCase {
  /** The rule under test (for chains, the outer OptimiserChain). */
  readonly name: RuleName;
  readonly label: string;
  readonly make: () => Rule;
  readonly ref: () => R.RefRule;
  /** A rule that trains the test MLP in a few dozen steps (often the rule itself with a larger step). */
  readonly train: () => Rule;
}

const c = (name: RuleName, label: string, make: () => Rule, ref: () => R.RefRule, train: () => Rule = make): RuleCase =>
  ({ name, label, make, ref, train });

export const CASES: readonly RuleCase[] = [
  c("Descent", "Descent()", () => Descent(), () => R.refDescent()),
  c("Descent", "Descent(0.3)", () => Descent(0.3), () => R.refDescent(0.3)),
  c("Momentum", "Momentum(0.05, 0.8)", () => Momentum(0.05, 0.8), () => R.refMomentum(0.05, 0.8)),
  c("Momentum", "Momentum()", () => Momentum(), () => R.refMomentum()),
  c("Nesterov", "Nesterov(0.02, 0.7)", () => Nesterov(0.02, 0.7), () => R.refNesterov(0.02, 0.7)),
  c("Nesterov", "Nesterov()", () => Nesterov(), () => R.refNesterov(), () => Nesterov(0.05)),
  c("RMSProp", "RMSProp()", () => RMSProp(), () => R.refRMSProp(), () => RMSProp(0.01)),
  c("RMSProp", "RMSProp(0.01, 0.8, 1e-6, centred)", () => RMSProp(0.01, 0.8, 1e-6, { centred: true }),
    () => R.refRMSProp(0.01, 0.8, 1e-6, true)),
  c("Rprop", "Rprop()", () => Rprop(), () => R.refRprop(), () => Rprop(0.01)),
  c("Rprop", "Rprop(0.1, [0.4, 1.5], [0.01, 0.2])", () => Rprop(0.1, [0.4, 1.5], [0.01, 0.2]),
    () => R.refRprop(0.1, [0.4, 1.5], [0.01, 0.2])),
  c("Adam", "Adam()", () => Adam(), () => R.refAdam(), () => Adam(0.02)),
  c("Adam", "Adam(0.05, [0.8, 0.95], 1e-3)", () => Adam(0.05, [0.8, 0.95], 1e-3), () => R.refAdam(0.05, [0.8, 0.95], 1e-3)),
  c("RAdam", "RAdam()", () => RAdam(), () => R.refRAdam(), () => RAdam(0.02)),
  c("RAdam", "RAdam(0.05, [0.8, 0.9])", () => RAdam(0.05, [0.8, 0.9]), () => R.refRAdam(0.05, [0.8, 0.9])),
  c("AdaMax", "AdaMax()", () => AdaMax(), () => R.refAdaMax(), () => AdaMax(0.02)),
  c("AdaMax", "AdaMax(0.05, [0.7, 0.9], 1e-4)", () => AdaMax(0.05, [0.7, 0.9], 1e-4), () => R.refAdaMax(0.05, [0.7, 0.9], 1e-4)),
  c("OAdam", "OAdam()", () => OAdam(), () => R.refOAdam(), () => OAdam(0.02)),
  c("OAdam", "OAdam(0.05, [0.6, 0.8])", () => OAdam(0.05, [0.6, 0.8]), () => R.refOAdam(0.05, [0.6, 0.8])),
  c("AdaGrad", "AdaGrad()", () => AdaGrad(), () => R.refAdaGrad()),
  c("AdaGrad", "AdaGrad(0.3, 1e-4)", () => AdaGrad(0.3, 1e-4), () => R.refAdaGrad(0.3, 1e-4)),
  c("AdaDelta", "AdaDelta()", () => AdaDelta(), () => R.refAdaDelta(), () => AdaDelta(0.9, 1e-4)),
  c("AdaDelta", "AdaDelta(0.5, 1e-3)", () => AdaDelta(0.5, 1e-3), () => R.refAdaDelta(0.5, 1e-3)),
  c("AMSGrad", "AMSGrad()", () => AMSGrad(), () => R.refAMSGrad(), () => AMSGrad(0.02)),
  c("AMSGrad", "AMSGrad(0.05, [0.8, 0.9], 1e-5)", () => AMSGrad(0.05, [0.8, 0.9], 1e-5), () => R.refAMSGrad(0.05, [0.8, 0.9], 1e-5)),
  c("NAdam", "NAdam()", () => NAdam(), () => R.refNAdam(), () => NAdam(0.02)),
  c("NAdam", "NAdam(0.05, [0.8, 0.95], 1e-4)", () => NAdam(0.05, [0.8, 0.95], 1e-4), () => R.refNAdam(0.05, [0.8, 0.95], 1e-4)),
  c("AdamW", "AdamW()", () => AdamW(), () => R.refAdamW(), () => AdamW(0.02)),
  c("AdamW", "AdamW(0.05, [0.8, 0.9], 0.1, 1e-6)", () => AdamW(0.05, [0.8, 0.9], 0.1, 1e-6),
    () => R.refAdamW(0.05, [0.8, 0.9], 0.1, 1e-6, true)),
  c("AdamW", "AdamW(0.05, [0.8, 0.9], 0.01, couple=false)", () => AdamW(0.05, [0.8, 0.9], 0.01, 1e-8, { couple: false }),
    () => R.refAdamW(0.05, [0.8, 0.9], 0.01, 1e-8, false)),
  c("AdaBelief", "AdaBelief()", () => AdaBelief(), () => R.refAdaBelief(), () => AdaBelief(0.02)),
  c("AdaBelief", "AdaBelief(0.05, [0.8, 0.9], 1e-10)", () => AdaBelief(0.05, [0.8, 0.9], 1e-10), () => R.refAdaBelief(0.05, [0.8, 0.9], 1e-10)),
  c("Lion", "Lion()", () => Lion(), () => R.refLion(), () => Lion(0.005)),
  c("Lion", "Lion(0.02, [0.5, 0.8])", () => Lion(0.02, [0.5, 0.8]), () => R.refLion(0.02, [0.5, 0.8]), () => Lion(0.005, [0.5, 0.8])),
  c("WeightDecay", "WeightDecay()", () => WeightDecay(), () => R.refWeightDecay(), () => WeightDecay(1e-3)),
  c("WeightDecay", "WeightDecay(0.2)", () => WeightDecay(0.2), () => R.refWeightDecay(0.2), () => OptimiserChain(WeightDecay(0.01), Descent(0.2))),
  c("SignDecay", "SignDecay()", () => SignDecay(), () => R.refSignDecay()),
  c("SignDecay", "SignDecay(0.3)", () => SignDecay(0.3), () => R.refSignDecay(0.3), () => OptimiserChain(SignDecay(0.001), Adam(0.02))),
  c("ClipGrad", "ClipGrad()", () => ClipGrad(), () => R.refClipGrad()),
  c("ClipGrad", "ClipGrad(0.05)", () => ClipGrad(0.05), () => R.refClipGrad(0.05), () => ClipGrad(0.01)),
  c("ClipNorm", "ClipNorm()", () => ClipNorm(), () => R.refClipNorm()),
  c("ClipNorm", "ClipNorm(0.1)", () => ClipNorm(0.1), () => R.refClipNorm(0.1)),
  c("ClipNorm", "ClipNorm(0.5, 1)", () => ClipNorm(0.5, 1), () => R.refClipNorm(0.5, 1)),
  c("ClipNorm", "ClipNorm(0.2, Inf)", () => ClipNorm(0.2, Infinity), () => R.refClipNorm(0.2, Infinity)),
  c("AccumGrad", "AccumGrad(3)", () => AccumGrad(3), () => R.refAccumGrad(3), () => OptimiserChain(AccumGrad(2), Descent(0.5))),
  c("AccumGrad", "AccumGrad(1)", () => AccumGrad(1), () => R.refAccumGrad(1)),
  c("OptimiserChain", "OptimiserChain()", () => OptimiserChain(), () => R.refChain()),
  c("OptimiserChain", "OptimiserChain(ClipGrad(0.1), WeightDecay(0.01), Adam(0.01))",
    () => OptimiserChain(ClipGrad(0.1), WeightDecay(0.01), Adam(0.01)),
    () => R.refChain(R.refClipGrad(0.1), R.refWeightDecay(0.01), R.refAdam(0.01))),
  c("OptimiserChain", "OptimiserChain(AccumGrad(2), OptimiserChain(ClipNorm(0.5), SignDecay(0.01)), Momentum(0.1))",
    () => OptimiserChain(AccumGrad(2), OptimiserChain(ClipNorm(0.5), SignDecay(0.01)), Momentum(0.1)),
    () => R.refChain(R.refAccumGrad(2), R.refChain(R.refClipNorm(0.5), R.refSignDecay(0.01)), R.refMomentum(0.1))),
];
