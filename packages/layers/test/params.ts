/**
 * Turning a model into a function of its parameters, so the graph package's gradcheck (which takes
 * a function of tensors) can differentiate with respect to every parameter and the input.
 */
import { Tensor, fmap, leaves, wrapColMajor, type NdArray } from "@tsflux/graph";
import { randomArray, type Rng } from "@tsflux/graph/testing";

/** The float arrays of a model, each once, in walk order. */
export function floatLeaves(model: unknown): NdArray[] {
  return leaves(model, { floatOnly: true }).map((l) => l.value);
}

/** A copy of `model` whose float arrays are replaced, in walk order, by `params`. */
export function withParams<T>(model: T, params: readonly (NdArray | Tensor)[]): T {
  const index = new Map(floatLeaves(model).map((a, i) => [a, i] as const));
  return fmap((leaf) => {
    const i = index.get(leaf);
    return i === undefined ? leaf : params[i];
  }, model) as T;
}

/** A copy of `model` with Float64 parameters drawn from (-0.9, 0.9), so no parameter is a trivial 0 or 1. */
export function randomizeParams<T>(model: T, rng: Rng): T {
  return withParams(model, floatLeaves(model).map((a) => randomArray(rng, a.shape, "f64", "unit")));
}

/** `(...params, x) => apply(model rebuilt around params, x)` and the Float64 arguments to call it with. */
export function parameterFunction<M>(model: M, x: NdArray, apply: (m: M, x: Tensor) => Tensor): { f: (...xs: Tensor[]) => Tensor; args: NdArray[] } {
  const params = floatLeaves(model);
  const f = (...xs: Tensor[]): Tensor => apply(withParams(model, xs.slice(0, params.length)), xs[params.length]!);
  return { f, args: [...params, x] };
}

/** A Float64 column-major array from column-major values. */
export function f64Array(values: readonly number[], shape: readonly number[]): NdArray {
  return wrapColMajor(Float64Array.from(values), shape);
}

/** A Float32 column-major array from column-major values. */
export function f32Array(values: readonly number[], shape: readonly number[]): NdArray {
  return wrapColMajor(Float32Array.from(values), shape);
}
