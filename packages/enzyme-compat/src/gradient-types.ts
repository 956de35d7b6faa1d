/**
 * The types of gradients, computed from the types of the arguments: a model's gradient tree mirrors the
 * model (arrays stay arrays, layers become plain objects of their fields' gradients, everything else is
 * null), Flux's `gradient` returns one entry per argument, and Enzyme's `gradient` returns a value of
 * each argument's own type.
 */
import type { FieldKey, FloatArray, NdArray, Tensor, TypedArray } from "@tsflux/graph";
import type { ActiveArg, ConstArg, DuplicatedArg } from "./activity";
import type { Mode } from "./modes";

/** Element types of arrays that are not differentiated (their gradient is null). */
type IntegerData = Exclude<TypedArray, FloatArray>;

/**
 * The gradient tree of a value of type T (what Flux's `gradient` returns for `Duplicated(x: T)`): float
 * arrays stay arrays (views of the shadow's), arrays and objects map field by field, functions, numbers,
 * flags and integer arrays are null.
 */
export type GradientOf<T> =
  unknown extends T ? unknown :
  T extends NdArray<IntegerData> ? null :
  T extends NdArray ? T :
  T extends Tensor ? NdArray :
  T extends (...args: never[]) => unknown ? null :
  T extends readonly unknown[] ? { -readonly [K in keyof T]: GradientOf<T[K]> } :
  T extends object ? { -readonly [K in FieldKey<T>]: GradientOf<T[K]> } :
  null;

/** Flux's gradient for one argument: the gradient tree of a Duplicated value, null for Const and plain ones. */
export type FluxGradientOf<A> = A extends DuplicatedArg<infer T> ? GradientOf<T> : null;

/** Flux's `gradient(f, ...args)`: one entry per argument. */
export type FluxGradients<A extends readonly unknown[]> = { -readonly [K in keyof A]: FluxGradientOf<A[K]> };

/** Enzyme's gradient for one argument: a value of its own type, a number for Active and numbers, null for Const. */
export type EnzymeGradientOf<A> =
  A extends DuplicatedArg<infer T> ? T :
  A extends ConstArg<unknown> ? null :
  A extends ActiveArg ? number :
  A extends number ? number :
  A;

/** `Enzyme.gradient(mode, f, ...args)`: one entry per argument, and with a `...WithPrimal` mode the value too. */
export type EnzymeGradients<M extends Mode, A extends readonly unknown[]> =
  M extends { readonly withPrimal: true } ? { derivs: { -readonly [K in keyof A]: EnzymeGradientOf<A[K]> }; val: number } :
  { -readonly [K in keyof A]: EnzymeGradientOf<A[K]> };

/** Argument lists with at least one Duplicated (what Flux's `gradient` requires); never otherwise. */
export type WithDuplicated<A extends readonly unknown[]> = Extract<A[number], DuplicatedArg<unknown>> extends never ? never : A;

/** The value `withgradient` reports: a number for a scalar loss, the plain result when f returns more. */
export type LossValue<R> = R extends number | Tensor ? number : unknown;
