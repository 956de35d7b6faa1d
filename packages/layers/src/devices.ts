/**
 * Flux's device and precision movers. tsflux runs on the CPU, so `cpu` and `gpu` return their argument
 * unchanged (what Flux's `gpu` does when no GPU backend is loaded). JavaScript has no Float16 storage,
 * so `f16` rounds every float parameter to the nearest Float16 value and keeps it in Float32.
 */
import { fmap, isFloatArray, toFlatArray, wrapColMajor } from "@tsflux/graph";

/** Flux's `cpu`: the model itself (tsflux's arrays always live in CPU memory). */
export function cpu<T>(model: T): T {
  return model;
}

/** Flux's `gpu`: the model itself (tsflux has no GPU backend; Flux also returns x unchanged without one). */
export function gpu<T>(model: T): T {
  return model;
}

const F16_MAX = 65504;

/** The Float16 value nearest to v (ties to even), as a JS number. */
export function roundToFloat16(v: number): number {
  if (!Number.isFinite(v) || v === 0) return v;
  const a = Math.abs(v);
  // halfway between the largest Float16 (65504) and the next power of two rounds to Inf
  if (a >= F16_MAX + 16) return Math.sign(v) * Infinity;
  // spacing of Float16 values around a: 2^(e - 10); subnormals below 2^-14 share 2^-24
  const e = Math.max(Math.floor(Math.log2(a)), -14);
  const ulp = 2 ** (e - 10);
  const q = a / ulp, low = Math.floor(q);
  const n = q - low > 0.5 || (q - low === 0.5 && low % 2 === 1) ? low + 1 : low;
  return Math.sign(v) * n * ulp;
}

/** Flux's `f16`: a copy of `model` with float parameters rounded to Float16 precision (stored as Float32). */
export function f16<T>(model: T): T {
  return fmap((a) => (isFloatArray(a) ? wrapColMajor(Float32Array.from(toFlatArray(a), roundToFloat16), a.shape) : a), model) as T;
}
