/** Shared test helpers: a seeded generator, array builders and a fingerprint of every number in a tree. */
import ndarray from "ndarray";
import type { NdArray } from "@tsflux/graph";

/** A deterministic generator of numbers in [-1, 1) (a 32-bit LCG). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

export type FloatCtor = Float32ArrayConstructor | Float64ArrayConstructor;

/** A column-major array of the given shape, filled from `values` (column-major order). */
export function colMajor(ctor: FloatCtor, shape: number[], values: readonly number[]): NdArray {
  const stride: number[] = [];
  let acc = 1;
  for (const d of shape) {
    stride.push(acc);
    acc *= d;
  }
  return ndarray(ctor.from(values), shape, stride, 0) as NdArray;
}

/** A row-major array of the given shape holding the same logical values as `colMajor` would. */
export function rowMajor(ctor: FloatCtor, shape: number[], values: readonly number[]): NdArray {
  const out = ndarray(new ctor(values.length), shape) as NdArray;  // ndarray's default strides are row-major
  forEachIndex(shape, (idx, k) => out.set(...idx, values[k]!));
  return out;
}

/** A non-contiguous view (every other column of a wider buffer) holding the given logical values. */
export function strided(ctor: FloatCtor, shape: [number, number], values: readonly number[]): NdArray {
  const [r, c] = shape;
  const base = ndarray(new ctor(r * c * 2 + 3).fill(-7), [r, c * 2], [1, r], 3) as NdArray;
  const view = base.step(1, 2) as NdArray;
  forEachIndex(shape, (idx, k) => view.set(...idx, values[k]!));
  return view;
}

/** Calls f with every logical index of `shape` in column-major order, and its column-major position. */
export function forEachIndex(shape: readonly number[], f: (idx: number[], k: number) => void): void {
  const n = shape.reduce((a, b) => a * b, 1);
  for (let k = 0; k < n; k++) {
    const idx: number[] = [];
    let r = k;
    for (const d of shape) {
      idx.push(r % d);
      r = Math.floor(r / d);
    }
    f(idx, k);
  }
}

/** The logical values of an array in column-major order. */
export function values(a: NdArray): number[] {
  const out: number[] = [];
  forEachIndex(a.shape, (idx) => out.push(a.get(...idx) as number));
  return out;
}

/**
 * A string holding every number reachable from `x`: typed arrays element by element (NaN and -0 kept
 * apart), plain numbers, booleans, and rules by their printing. Equal fingerprints mean nothing changed.
 */
export function fingerprint(x: unknown): string {
  const seen = new Set<unknown>();
  const walk = (v: unknown): string => {
    if (v === null || v === undefined) return String(v);
    if (typeof v === "number") return Object.is(v, -0) ? "-0" : String(v);
    if (typeof v === "boolean" || typeof v === "string") return String(v);
    if (typeof v === "function") return `f:${v.name}`;
    if (ArrayBuffer.isView(v)) return `[${Array.from(v as Float64Array, (e) => (Object.is(e, -0) ? "-0" : String(e))).join(",")}]`;
    if (typeof v !== "object") return String(v);
    if (seen.has(v)) return "@";
    seen.add(v);
    const entries = Object.entries(v).map(([k, c]) => `${k}:${walk(c)}`);
    const rule = (v as { rule?: unknown }).rule;
    return `{${entries.join(";")}${rule !== undefined ? `;rule=${String(rule)}` : ""}}`;
  };
  return walk(x);
}

/** Expects |a - b| <= atol + rtol·|b| elementwise, naming the first index that differs. */
export function expectClose(actual: readonly number[], expected: readonly number[], rtol: number, atol: number, what: string): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!, b = expected[i]!;
    if (Number.isNaN(b) && Number.isNaN(a)) continue;
    if (!(Math.abs(a - b) <= atol + rtol * Math.abs(b))) {
      throw new Error(`${what}: element ${i} is ${a}, expected ${b} (rtol ${rtol}, atol ${atol})`);
    }
  }
}
