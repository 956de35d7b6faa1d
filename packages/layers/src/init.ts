/**
 * Flux's weight initialisers, Float32 and column-major: `glorotUniform(out, in)`, optionally after a
 * generator; called with only options (or nothing) they return an initialiser for Dense's `init`.
 */
import { RandomGenerator, globalRng, type NdArray } from "@tsflux/graph";
import { checkDims, float32Array, splitRng, uniform32 } from "./random";

/** Options of the initialisers. */
export interface InitOptions {
  /** Scales the spread (default 1 for Glorot, √2 for Kaiming). */
  gain?: number;
}

/** Makes an array of the given sizes (what Dense's `init` option takes, called as `init(out, in)`). */
export type Initializer = (...dims: number[]) => NdArray;

/** An initialiser: called with sizes (and optionally a generator) it makes an array; called with options it makes a configured initialiser. */
export interface InitFunction {
  (dim: number, ...dims: number[]): NdArray;
  (rng: RandomGenerator, dim: number, ...dims: number[]): NdArray;
  (opts?: InitOptions): Initializer;
  (rng: RandomGenerator, opts?: InitOptions): Initializer;
}

/**
 * Flux's `nfan`: [fanIn, fanOut] for an array of these sizes. A vector (n) is [1, n]; a matrix
 * (out, in) is [in, out]; more dims (a convolution kernel) multiply both by the receptive field.
 */
export function nfan(...dims: number[]): [number, number] {
  if (dims.length === 0) return [1, 1];
  if (dims.length === 1) return [1, dims[0]!];
  if (dims.length === 2) return [dims[1]!, dims[0]!];
  const field = dims.slice(0, -2).reduce((a, d) => a * d, 1);
  return [field * dims[dims.length - 2]!, field * dims[dims.length - 1]!];
}

type Sampler = (rng: RandomGenerator, dims: number[], gain: number) => NdArray;

function defineInit(name: string, defaultGain: number, sample: Sampler): InitFunction {
  const init = (...args: unknown[]): NdArray | Initializer => {
    const rng = args[0] instanceof RandomGenerator ? args[0] : undefined;
    const rest = rng ? args.slice(1) : args;
    if (rest.length === 0 || (rest.length === 1 && typeof rest[0] === "object")) {
      const gain = (rest[0] as InitOptions | undefined)?.gain ?? defaultGain;
      return (...dims: number[]) => sample(rng ?? globalRng, checkDims(name, dims), gain);
    }
    const split = splitRng(name, args);
    return sample(split.rng, split.dims, defaultGain);
  };
  Object.defineProperty(init, "name", { value: name });
  return init as InitFunction;
}

/** Glorot (Xavier) uniform: U(-a, a) with a = gain·√(6 / (fanIn + fanOut)); Dense's default. */
export const glorotUniform = defineInit("glorotUniform", 1, (rng, dims, gain) => {
  const [fanIn, fanOut] = nfan(...dims);
  const scale = gain * Math.sqrt(24 / (fanIn + fanOut));
  return float32Array(dims, () => (uniform32(rng) - 0.5) * scale, true);
});

/** Glorot (Xavier) normal: N(0, σ²) with σ = gain·√(2 / (fanIn + fanOut)). */
export const glorotNormal = defineInit("glorotNormal", 1, (rng, dims, gain) => {
  const [fanIn, fanOut] = nfan(...dims);
  const std = gain * Math.sqrt(2 / (fanIn + fanOut));
  return float32Array(dims, () => rng.normal() * std, true);
});

/** Kaiming (He) uniform: U(-b, b) with b = √3·gain / √fanIn (default gain √2). */
export const kaimingUniform = defineInit("kaimingUniform", Math.SQRT2, (rng, dims, gain) => {
  const bound = (Math.sqrt(3) * gain) / Math.sqrt(nfan(...dims)[0]);
  return float32Array(dims, () => (uniform32(rng) - 0.5) * 2 * bound, true);
});

/** Kaiming (He) normal: N(0, σ²) with σ = gain / √fanIn (default gain √2). */
export const kaimingNormal = defineInit("kaimingNormal", Math.SQRT2, (rng, dims, gain) => {
  const std = gain / Math.sqrt(nfan(...dims)[0]);
  return float32Array(dims, () => rng.normal() * std, true);
});
