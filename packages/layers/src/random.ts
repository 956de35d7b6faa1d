/**
 * Float32 arrays of random numbers, zeros and ones (Flux's `randn32`, `rand32`, `zeros32`, `ones32`):
 * column-major, drawn from tsflux's seedable generator (`seed(n)` from the graph package) unless a
 * generator is given first.
 */
import { RandomGenerator, ShapeError, globalRng, wrapColMajor, type NdArray, allocData, numel } from "@tsflux/graph";

/** Sizes, optionally after a generator: `(784, 1)` or `(rng, 784, 1)`. */
export type RngDims = number[] | [RandomGenerator, ...number[]];

/** Checks sizes: non-negative integers (Julia allows 0). */
export function checkDims(what: string, dims: readonly unknown[]): number[] {
  for (const d of dims) {
    if (typeof d !== "number" || !Number.isSafeInteger(d) || d < 0) {
      throw new ShapeError(`${what}: sizes must be non-negative integers, got (${dims.map(String).join(", ")})`);
    }
  }
  return dims as number[];
}

/** Splits `(rng?, ...dims)`; the generator defaults to the global one. */
export function splitRng(what: string, args: readonly unknown[]): { rng: RandomGenerator; dims: number[] } {
  const [first, ...rest] = args;
  if (first instanceof RandomGenerator) return { rng: first, dims: checkDims(what, rest) };
  return { rng: globalRng, dims: checkDims(what, args) };
}

/** A Float32 column-major array of `dims` whose element i is `value(i)`. */
export function float32Array(dims: readonly number[], value: (i: number) => number): NdArray {
  const data = allocData("f32", numel(dims));
  for (let i = 0; i < data.length; i++) data[i] = value(i);
  return wrapColMajor(data, dims);
}

/** Uniform in [0, 1) on the Float32 grid (24 random bits, so 1 is never reached by rounding). */
export function uniform32(rng: RandomGenerator): number {
  return Math.floor(rng.next() * 2 ** 24) / 2 ** 24;
}

/** Standard normal Float32 numbers: `randn32(784, 1)` or `randn32(rng, 784, 1)`. */
export function randn32(...args: RngDims): NdArray {
  const { rng, dims } = splitRng("randn32", args);
  return float32Array(dims, () => rng.normal());
}

/** Uniform Float32 numbers in [0, 1): `rand32(3, 4)` or `rand32(rng, 3, 4)`. */
export function rand32(...args: RngDims): NdArray {
  const { rng, dims } = splitRng("rand32", args);
  return float32Array(dims, () => uniform32(rng));
}

/** A Float32 array of zeros. */
export function zeros32(...dims: number[]): NdArray {
  return float32Array(checkDims("zeros32", dims), () => 0);
}

/** A Float32 array of ones. */
export function ones32(...dims: number[]): NdArray {
  return float32Array(checkDims("ones32", dims), () => 1);
}
