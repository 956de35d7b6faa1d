/**
 * Reductions over a set of axes of a column-major array. When the reduced axes are contiguous (after
 * dropping size-1 dims) the array is viewed as [pre, red, post] and reduced in streaming loops;
 * otherwise a precomputed map from element to output slot is used.
 */
import type { TypedArray } from "../dtype";
import type { Shape } from "../shape";
import { perDtype } from "./monomorphic";

export type ReduceKind = "sum" | "max" | "min";

/** The reduction described as [pre, red, post], or as a slot map when the axes are not contiguous. */
export type ReduceLayout =
  | { kind: "blocks"; pre: number; red: number; post: number }
  | { kind: "map"; slotOf: Int32Array; slots: number };

export function reduceLayout(shape: Shape, axes: readonly number[]): ReduceLayout {
  const reduced = shape.map((_, i) => axes.includes(i));
  const dims = shape.map((d, i) => ({ d, r: reduced[i]! })).filter((x) => x.d !== 1);
  const firstR = dims.findIndex((x) => x.r), lastR = dims.length - 1 - [...dims].reverse().findIndex((x) => x.r);
  const prod = (xs: { d: number }[]) => xs.reduce((a, x) => a * x.d, 1);
  if (firstR < 0) return { kind: "blocks", pre: prod(dims), red: 1, post: 1 };
  if (dims.slice(firstR, lastR + 1).every((x) => x.r)) {
    return { kind: "blocks", pre: prod(dims.slice(0, firstR)), red: prod(dims.slice(firstR, lastR + 1)), post: prod(dims.slice(lastR + 1)) };
  }
  return slotMap(shape, reduced);
}

function slotMap(shape: Shape, reduced: readonly boolean[]): ReduceLayout {
  const n = shape.reduce((a, d) => a * d, 1);
  const slotOf = new Int32Array(n);
  const outStrides: number[] = [];
  let slots = 1;
  shape.forEach((d, i) => {
    outStrides.push(reduced[i] ? 0 : slots);
    if (!reduced[i]) slots *= d;
  });
  const idx = shape.map(() => 0);
  for (let e = 0; e < n; e++) {
    slotOf[e] = idx.reduce((a, k, i) => a + k * outStrides[i]!, 0);
    for (let ax = 0; ax < shape.length; ax++) {
      if (++idx[ax]! < shape[ax]!) break;
      idx[ax] = 0;
    }
  }
  return { kind: "map", slotOf, slots };
}

type BlockReduce = (kind: number, x: TypedArray, xo: number, y: TypedArray, yo: number, pre: number, red: number, post: number) => void;

/** y[i, p] = reduce over r of x[i, r, p]; kind 0 = sum, 1 = max, 2 = min. NaN propagates through max/min. */
const blockReduce = perDtype<BlockReduce>(function blockReduce(kind, x, xo, y, yo, pre, red, post) {
  const init = kind === 0 ? 0 : kind === 1 ? -Infinity : Infinity;
  for (let p = 0; p < post; p++) {
    const xb = xo + p * pre * red, yb = yo + p * pre;
    if (pre === 1) {
      let acc = init;
      if (kind === 0) for (let r = 0; r < red; r++) acc += x[xb + r]!;
      else if (kind === 1) for (let r = 0; r < red; r++) { const v = x[xb + r]!; if (v > acc || v !== v) acc = v; }
      else for (let r = 0; r < red; r++) { const v = x[xb + r]!; if (v < acc || v !== v) acc = v; }
      y[yb] = acc;
      continue;
    }
    for (let i = 0; i < pre; i++) y[yb + i] = init;
    for (let r = 0; r < red; r++) {
      const xr = xb + r * pre;
      if (kind === 0) for (let i = 0; i < pre; i++) y[yb + i]! += x[xr + i]!;
      else if (kind === 1) for (let i = 0; i < pre; i++) { const v = x[xr + i]!, a = y[yb + i]!; if (v > a || v !== v) y[yb + i] = v; }
      else for (let i = 0; i < pre; i++) { const v = x[xr + i]!, a = y[yb + i]!; if (v < a || v !== v) y[yb + i] = v; }
    }
  }
});

type MapReduce = (kind: number, x: TypedArray, xo: number, y: TypedArray, yo: number, slotOf: Int32Array, slots: number) => void;

const mapReduce = perDtype<MapReduce>(function mapReduce(kind, x, xo, y, yo, slotOf, slots) {
  const init = kind === 0 ? 0 : kind === 1 ? -Infinity : Infinity;
  for (let s = 0; s < slots; s++) y[yo + s] = init;
  const n = slotOf.length;
  for (let e = 0; e < n; e++) {
    const v = x[xo + e]!, s = yo + slotOf[e]!, a = y[s]!;
    if (kind === 0) y[s] = a + v;
    else if (kind === 1 ? v > a || v !== v : v < a || v !== v) y[s] = v;
  }
});

const KIND = { sum: 0, max: 1, min: 2 } as const;

/** Reduces `x` (column-major, `shape`) over `axes` into `y` (the kept dims, column-major). */
export function reducer(kind: ReduceKind, layout: ReduceLayout, dtype: string): (x: TypedArray, xo: number, y: TypedArray, yo: number) => void {
  const k = KIND[kind];
  if (layout.kind === "blocks") {
    const f = blockReduce(dtype), { pre, red, post } = layout;
    return (x, xo, y, yo) => f(k, x, xo, y, yo, pre, red, post);
  }
  const f = mapReduce(dtype), { slotOf, slots } = layout;
  return (x, xo, y, yo) => f(k, x, xo, y, yo, slotOf, slots);
}
