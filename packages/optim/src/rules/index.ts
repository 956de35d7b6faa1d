/** Every rule, and the list of their names. */
export { Descent } from "./descent";
export { Momentum } from "./momentum";
export { Nesterov } from "./nesterov";
export { RMSProp, type RMSPropState, type RMSPropOptions } from "./rmsprop";
export { Rprop, type RpropState } from "./rprop";
export { Adam, type AdamState } from "./adam";
export { RAdam, type RAdamState } from "./radam";
export { AdaMax, type AdaMaxState } from "./adamax";
export { OAdam, type OAdamState } from "./oadam";
export { AdaGrad } from "./adagrad";
export { AdaDelta, type AdaDeltaState } from "./adadelta";
export { AMSGrad, type AMSGradState } from "./amsgrad";
export { NAdam } from "./nadam";
export { AdamW, type AdamWOptions } from "./adamw";
export { AdaBelief, type AdaBeliefState } from "./adabelief";
export { Lion } from "./lion";
export { WeightDecay } from "./weight-decay";
export { SignDecay } from "./sign-decay";
export { ClipGrad } from "./clip-grad";
export { ClipNorm } from "./clip-norm";
export { AccumGrad, type AccumGradState } from "./accum-grad";
export { OptimiserChain } from "./chain";
export { defineRule, moments, HyperRule, type RuleSpec, type RuleFactory, type Rounding } from "./def";
export { rate, real, betas, pair, flag, count, type Field, type FieldCheck, type Fields, type Hyper, type HyperValue, type Pair, type Args, type Options } from "./fields";
export { betaPowers } from "./beta-power";

/** The name of every rule this package provides (Optimisers.jl's exports, less MixedPrecision). */
export const RULE_NAMES = [
  "Descent", "Momentum", "Nesterov", "RMSProp", "Rprop", "Adam", "RAdam", "AdaMax", "OAdam", "AdaGrad",
  "AdaDelta", "AMSGrad", "NAdam", "AdamW", "AdaBelief", "Lion", "WeightDecay", "SignDecay", "ClipGrad",
  "ClipNorm", "AccumGrad", "OptimiserChain",
] as const;

/** The name of one of the package's rules. */
export type RuleName = (typeof RULE_NAMES)[number];
