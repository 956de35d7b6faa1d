/**
 * Julia's text for numbers and arrays, as `print` and `show` write them, so that rules, Leaves and state
 * trees read exactly like Optimisers.jl's output.
 */
import type { NdArray } from "@tsflux/graph";

/** How a float is written: Float32 or Float64, `:compact` (6 significant digits), typed (`0.1f0`). */
export interface FloatStyle {
  readonly f32?: boolean;
  readonly compact?: boolean;
  readonly typed?: boolean;
}

/** The shortest decimal digits that read back as `v` (v > 0, finite), and the exponent of the first digit. */
function shortestDigits(v: number, f32: boolean): { digits: string; exp: number } {
  let s = v.toExponential();
  if (f32) {
    for (let p = 1; p <= 9; p++) {
      const t = v.toPrecision(p);
      if (Math.fround(Number(t)) === v) {
        s = Number(t).toExponential();
        break;
      }
    }
  }
  const [mant, e] = s.split("e") as [string, string];
  return { digits: mant.replace(".", ""), exp: Number(e) };
}

/** Rounds a digit string to at most `n` significant digits (half up), as Julia's `:compact` printing does. */
function roundDigits(digits: string, exp: number, n: number): { digits: string; exp: number } {
  if (digits.length <= n) return { digits, exp };
  let head = digits.slice(0, n).split("").map(Number);
  if (Number(digits[n]) >= 5) {
    let i = n - 1;
    while (i >= 0 && head[i] === 9) head[i--] = 0;
    if (i < 0) {
      head = [1, ...head.slice(0, n - 1)];
      exp += 1;
    } else head[i]!++;
  }
  return { digits: head.join(""), exp };
}

/**
 * Writes `x` as Julia does: `0.001`, `1.0e-8`, `50.0`, `1.234567e6`; Float32 as `0.1f0` when typed and
 * `1.0f-8` in exponent form. Plain notation is used when the decimal point falls within -4 < pt <= 6.
 */
export function juliaFloat(x: number, style: FloatStyle = {}): string {
  const f32 = style.f32 === true;
  const suffix = f32 && style.typed === true;
  if (x === 0) return (Object.is(x, -0) ? "-0.0" : "0.0") + (suffix ? "f0" : "");
  if (Number.isNaN(x)) return suffix ? "NaN32" : "NaN";
  if (!Number.isFinite(x)) return (x < 0 ? "-Inf" : "Inf") + (suffix ? "32" : "");
  let { digits, exp } = shortestDigits(Math.abs(x), f32);
  if (style.compact === true) ({ digits, exp } = roundDigits(digits, exp, 6));
  digits = digits.replace(/0+$/, "") || "0";
  const sign = x < 0 ? "-" : "";
  const pt = exp + 1;
  const len = digits.length;
  if (pt > -4 && pt <= 6) {
    let body: string;
    if (pt <= 0) body = `0.${"0".repeat(-pt)}${digits}`;
    else if (pt >= len) body = `${digits}${"0".repeat(pt - len)}.0`;
    else body = `${digits.slice(0, pt)}.${digits.slice(pt)}`;
    return sign + body + (suffix ? "f0" : "");
  }
  const frac = len > 1 ? digits.slice(1) : "0";
  return `${sign}${digits[0]}.${frac}${f32 ? "f" : "e"}${exp}`;
}

/** A tuple as Julia prints it: `(a, b)`, `(a,)`, `()`. */
export function juliaTuple(items: readonly string[]): string {
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(", ")})`;
}

const VECTOR_LIMIT = 20;
const VECTOR_ENDS = 10;
const MATRIX_LIMIT = 4;
const MATRIX_ENDS = 2;

/** The indices to show along a dimension: all, or both ends around an ellipsis when `limit` is on. */
function shownIndices(n: number, limit: boolean, threshold: number, ends: number): { head: number[]; tail: number[] } {
  const all = Array.from({ length: n }, (_, i) => i);
  if (!limit || n <= threshold) return { head: all, tail: [] };
  return { head: all.slice(0, ends), tail: all.slice(n - ends) };
}

/**
 * An array as Julia's `show` writes it inside a compact context (Leaf states): `Float32[0.0, 0.0]`,
 * `[0.0 0.0; 0.0 0.0]`, `[0.0; 0.0;;]` for one column, slices of higher dimensions separated by `;;;`.
 * With `limit`, long vectors keep 10 elements at each end and matrices 2 rows and columns at each end.
 */
export function juliaArray(a: NdArray, limit: boolean): string {
  const f32 = a.data instanceof Float32Array;
  const eltype = f32 ? "Float32" : "Float64";
  const prefix = f32 ? "Float32" : "";
  const el = (v: number): string => juliaFloat(v, { f32, compact: true });
  const at = (idx: readonly number[]): number => {
    let p = a.offset;
    for (let d = 0; d < idx.length; d++) p += idx[d]! * a.stride[d]!;
    return Number(a.data[p]);
  };
  const shape = a.shape;
  if (shape.length === 0) return `fill(${el(at([]))})`;
  if (shape.some((d) => d === 0)) {
    if (shape.length === 1) return `${eltype}[]`;
    const type = shape.length === 2 ? `Matrix{${eltype}}` : `Array{${eltype}, ${shape.length}}`;
    return `${type}(undef, ${shape.join(", ")})`;
  }
  if (shape.length === 1) {
    const { head, tail } = shownIndices(shape[0]!, limit, VECTOR_LIMIT, VECTOR_ENDS);
    const h = head.map((i) => el(at([i]))).join(", ");
    return tail.length === 0 ? `${prefix}[${h}]` : `${prefix}[${h}  …  ${tail.map((i) => el(at([i]))).join(", ")}]`;
  }
  const rows = shownIndices(shape[0]!, limit, MATRIX_LIMIT, MATRIX_ENDS);
  const cols = shownIndices(shape[1]!, limit, MATRIX_LIMIT, MATRIX_ENDS);
  const matrix = (rest: readonly number[]): string => {
    const row = (i: number): string => {
      const h = cols.head.map((j) => el(at([i, j, ...rest]))).join(" ");
      return cols.tail.length === 0 ? h : `${h} … ${cols.tail.map((j) => el(at([i, j, ...rest]))).join(" ")}`;
    };
    const h = rows.head.map(row).join("; ");
    return rows.tail.length === 0 ? h : `${h}; … ; ${rows.tail.map(row).join("; ")}`;
  };
  if (shape.length === 2) return `${prefix}[${matrix([])}${shape[1] === 1 ? ";;" : ""}]`;
  const trailing = shape.slice(2);
  const rest = trailing.map(() => 0);
  let text = matrix(rest);
  let reachedLast = false;
  for (;;) {
    let ax = 0;
    while (ax < rest.length && ++rest[ax]! === trailing[ax]!) rest[ax++] = 0;
    if (ax === rest.length) break;
    if (ax === rest.length - 1) reachedLast = true;
    text += `${";".repeat(ax + 3)} ${matrix(rest)}`;
  }
  return `${prefix}[${text}${reachedLast ? "" : ";".repeat(shape.length)}]`;
}
