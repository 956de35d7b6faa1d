/**
 * The rule contract (Optimisers.jl's `AbstractRule`): hyperparameters, `init` for the per-array state and
 * `apply` for one step. The tree machinery (setup, update, adjust, freeze) is written once, in `tree/`.
 * Rules with named hyperparameters are written with `defineRule` (rules/def.ts); OptimiserChain implements
 * this contract directly.
 */
import type { NdArray } from "@tsflux/graph";
import type { Step } from "./step";

/**
 * An optimisation rule. `apply` is the whole step for one parameter array, as one fused loop over the flat
 * typed arrays of `step`: it reads the gradient and the parameter, updates `state` in place, and hands each
 * element of its step to `step.put` (which subtracts it from the parameter, or passes it on in a chain).
 * It returns false when it makes no step this time (AccumGrad between its emissions).
 *
 * A faster `apply` (e.g. WebAssembly SIMD for Adam) only has to keep this contract.
 */
export interface Rule<S = unknown> {
  /** The rule's name as Optimisers.jl spells it, e.g. "Adam". */
  readonly kind: string;
  /** True when `apply` never changes its state: the rule only transforms the gradient. */
  readonly stateless: boolean;
  /** True when `apply` can throw on some gradients; `check` then raises the same error, changing nothing. */
  readonly mayThrow: boolean;
  /** True when `apply` needs `step.scratch`. */
  readonly needsScratch: boolean;
  /** The state for one parameter array, allocated once (state arrays share the parameter's kernel order). */
  init(x: NdArray): S;
  /** One step for one parameter array (contract above). */
  apply(state: S, step: Step): boolean;
  /** Throws what `apply` would throw for this gradient, changing nothing; may overwrite `step.scratch`. */
  check(state: S, step: Step): void;
  /** A copy with a new learning rate, or with the named hyperparameters changed (unknown names are ignored). */
  adjust(change: number | Readonly<Record<string, unknown>>): Rule<S>;
  /** Optimisers.jl's printing, e.g. `Adam(eta=0.001, beta=(0.9, 0.999), epsilon=1.0e-8)`. */
  toString(): string;
}

/** Optimisers.jl calls rules "optimisers" too. */
export type Optimiser<S = unknown> = Rule<S>;

/** The per-array state type of a rule: `RuleState<Adam>` is `{ mt, vt, betat }`. */
export type RuleState<R> = R extends Rule<infer S> ? S : never;

/** True for objects that implement the rule contract. */
export function isRule(x: unknown): x is Rule {
  if (typeof x !== "object" || x === null) return false;
  const r = x as Partial<Rule>;
  return typeof r.kind === "string" && typeof r.init === "function" && typeof r.apply === "function" && typeof r.adjust === "function";
}
