/** Seeded random arrays for tests (mulberry32: fast, 32-bit state, reproducible everywhere). */
import { wrapColMajor, type NdArray } from "../ndarray-util";
import { arrayConstructor, type DType } from "../dtype";
import { numel, type Shape } from "../shape";

/** A generator of uniform numbers in [0, 1). */
export type Rng = () => number;

/** A uniform [0, 1) generator from a 32-bit seed. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A seed derived from a string (e.g. the test's name), so results do not depend on test order. */
export function seedFrom(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

/**
 * Where test inputs are drawn from. "real": a grid in [-2, 2] that avoids 0 (kinks of relu, abs, sign);
 * "positive": (0.25, 2.25); "unit": (-0.9, 0.9); "bool": 0 or 1.
 */
export type Domain = "real" | "positive" | "unit" | "bool";

/** One number from `rng` in `domain` (see Domain). */
export function sample(rng: Rng, domain: Domain): number {
  switch (domain) {
    case "real": return (Math.floor(rng() * 32) - 16) / 8 + 1 / 16 + (rng() - 0.5) / 64;
    case "positive": return 0.25 + 2 * rng();
    case "unit": return 1.8 * rng() - 0.9;
    case "bool": return rng() < 0.5 ? 0 : 1;
  }
}

/** A column-major array of `shape` with values from `domain`. */
export function randomArray(rng: Rng, shape: Shape, dtype: DType = "f64", domain: Domain = "real"): NdArray {
  const data = new (arrayConstructor(dtype))(numel(shape));
  for (let i = 0; i < data.length; i++) data[i] = sample(rng, domain);
  return wrapColMajor(data, shape);
}
