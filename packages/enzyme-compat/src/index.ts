/**
 * `@tsflux/enzyme-compat`: Enzyme's activities (Const, Duplicated, Active, DuplicatedNoNeed) and modes,
 * `autodiff`, Flux's `gradient` / `withgradient` / `train` over Duplicated models, and Enzyme's own
 * `gradient`, `jacobian`, `hvp` and `makeZero`, also grouped as `Enzyme.*`.
 *
 * @module @tsflux/enzyme-compat
 */
import { autodiff } from "./autodiff";
import { jacobian, hvp } from "./enzyme-gradient";
import { typedEnzymeGradient } from "./typed-gradient";
import { makeZero } from "./make-zero";
import { Const, Duplicated, DuplicatedNoNeed, Active } from "./activity";
import { Reverse, ReverseWithPrimal, Forward, ForwardWithPrimal } from "./modes";

export { Const, Duplicated, DuplicatedNoNeed, Active, ConstArg, DuplicatedArg, DuplicatedNoNeedArg, ActiveArg, checkShadow } from "./activity";
export { Reverse, ReverseWithPrimal, Forward, ForwardWithPrimal, type Mode } from "./modes";
export { autodiff, type ReturnActivity } from "./autodiff";
export { type GradientOptions } from "./flux-gradient";
export { gradient, withgradient, type FluxGradient, type FluxWithgradient, type EnzymeGradient } from "./typed-gradient";
export type { GradientOf, FluxGradientOf, FluxGradients, EnzymeGradientOf, EnzymeGradients, WithDuplicated, LossValue } from "./gradient-types";
export { train, type TrainOptions, type TrainStep, type TrainSummary } from "./train";
export { makeZero } from "./make-zero";
export { gradientGraph } from "./gradient-graph";
export { showDuplicated } from "./show";
export { DomainError, ArgumentError, ActivityError, VersionError } from "./errors";

/** Enzyme's API under its own name: `Enzyme.gradient(Reverse, f, x)`, `Enzyme.jacobian`, `Enzyme.hvp`, ... */
export const Enzyme = Object.freeze({
  gradient: typedEnzymeGradient,
  jacobian,
  hvp,
  autodiff,
  makeZero,
  Const,
  Duplicated,
  DuplicatedNoNeed,
  Active,
  Reverse,
  ReverseWithPrimal,
  Forward,
  ForwardWithPrimal,
});
