/**
 * expectClose: |actual - expected| <= atol + rtol |expected| elementwise, with NaN matching only NaN
 * and each infinity only itself. The failure names the flat index, both values and both differences.
 */
import { Tensor } from "../tensor";
import { isNdarray, toFlatArray, type NdArray } from "../ndarray-util";
import { shapeStr } from "../shape";

/** What the closeness checks compare: a Tensor, an ndarray, a number or an array of numbers. */
export type Numeric = Tensor | NdArray | number | readonly number[];

/** Tolerances of the closeness checks, and what is compared (for the message). */
export interface CloseOptions {
  rtol?: number;
  atol?: number;
  /** What is being compared, for the message (an op, a layer, a gradient). */
  what?: string;
}

function flat(x: Numeric): { values: number[]; shape?: readonly number[] } {
  if (typeof x === "number") return { values: [x] };
  if (x instanceof Tensor) return { values: toFlatArray(x.toNdarray()), shape: x.shape };
  if (isNdarray(x)) return { values: toFlatArray(x), shape: x.shape };
  return { values: [...x] };
}

/** Returns a description of the first mismatch, or undefined when everything is close. */
export function findMismatch(actual: Numeric, expected: Numeric, opts: CloseOptions = {}): string | undefined {
  const { rtol = 1e-5, atol = 1e-8, what = "value" } = opts;
  const a = flat(actual), e = flat(expected);
  if (a.shape && e.shape && shapeStr(a.shape) !== shapeStr(e.shape)) return `${what}: shape ${shapeStr(a.shape)} vs expected ${shapeStr(e.shape)}`;
  if (a.values.length !== e.values.length) return `${what}: ${a.values.length} elements vs expected ${e.values.length}`;
  for (let i = 0; i < a.values.length; i++) {
    const x = a.values[i]!, y = e.values[i]!;
    if (Number.isNaN(y) || !Number.isFinite(y)) {
      if (Object.is(x, y) || (Number.isNaN(x) && Number.isNaN(y))) continue;
      return `${what}: element ${i} is ${x}, expected exactly ${y}`;
    }
    const diff = Math.abs(x - y);
    if (!(diff <= atol + rtol * Math.abs(y))) {
      return `${what}: element ${i} is ${x}, expected ${y} (|diff| ${diff.toExponential(3)}, rel ${(diff / Math.abs(y)).toExponential(3)}; atol ${atol}, rtol ${rtol})`;
    }
  }
  return undefined;
}

/** Throws (failing the test) unless `actual` is close to `expected`. */
export function expectClose(actual: Numeric, expected: Numeric, opts: CloseOptions = {}): void {
  const problem = findMismatch(actual, expected, opts);
  if (problem) throw new Error(problem);
}
