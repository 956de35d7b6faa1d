/**
 * Flux's `gradient`/`withgradient` and Enzyme's `gradient` with result types computed from the
 * arguments' types (see gradient-types.ts); the functions themselves are those of flux-gradient.ts and
 * enzyme-gradient.ts.
 */
import { gradient as fluxGradient, withgradient as fluxWithgradient, type GradientOptions } from "./flux-gradient";
import { gradient as enzymeGradient } from "./enzyme-gradient";
import type { EnzymeGradients, FluxGradients, LossValue, WithDuplicated } from "./gradient-types";
import type { Mode } from "./modes";

/** A scalar loss (or a function whose first result is one) of the arguments. */
type Loss = (...args: never[]) => unknown;

/** Flux's `gradient` (see flux-gradient.ts), typed: `gradient(loss, Duplicated(model), Const(x))[0]` mirrors the model. */
export interface FluxGradient {
  <A extends readonly unknown[]>(f: Loss, ...args: [...A, GradientOptions] & [...WithDuplicated<A>, GradientOptions]): FluxGradients<A>;
  <A extends readonly unknown[]>(f: Loss, ...args: A & WithDuplicated<A>): FluxGradients<A>;
}

/** Flux's `withgradient`, typed: `{ val, grad }` with `grad` as `gradient` returns it. */
export interface FluxWithgradient {
  <F extends Loss, A extends readonly unknown[]>(f: F, ...args: [...A, GradientOptions] & [...WithDuplicated<A>, GradientOptions]): { val: LossValue<ReturnType<F>>; grad: FluxGradients<A> };
  <F extends Loss, A extends readonly unknown[]>(f: F, ...args: A & WithDuplicated<A>): { val: LossValue<ReturnType<F>>; grad: FluxGradients<A> };
}

/** Enzyme's `gradient(mode, f, ...args)`, typed: each entry has its argument's type (null for Const). */
export type EnzymeGradient = <M extends Mode, A extends readonly unknown[]>(mode: M, f: Loss, ...args: A) => EnzymeGradients<M, A>;

/**
 * The gradient of a scalar `f(args...)` with respect to each Duplicated argument, as trees of views of
 * its shadow; null for Const (and plain) arguments. `gradient(f, ...args, { zero: false })` accumulates.
 */
export const gradient = fluxGradient as FluxGradient;
/** Like gradient, and also the value: `{ val, grad }`; `val` is the whole result when f returns aux outputs. */
export const withgradient = fluxWithgradient as FluxWithgradient;
/** Enzyme.gradient: every argument not marked Const is differentiated; see enzyme-gradient.ts. */
export const typedEnzymeGradient = enzymeGradient as EnzymeGradient;
