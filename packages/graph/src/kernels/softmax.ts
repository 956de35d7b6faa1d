/**
 * softmax, logsoftmax and logsumexp along a set of axes, with the maximum subtracted first so that
 * no exp overflows. Layouts are those of kernels/reduce.ts.
 */
import type { TypedArray } from "../dtype";
import type { ReduceLayout } from "./reduce";
import { perDtype } from "./monomorphic";

export type SoftmaxKind = "softmax" | "logsoftmax" | "logsumexp";
const KIND = { softmax: 0, logsoftmax: 1, logsumexp: 2 } as const;

type Blocks = (kind: number, x: TypedArray, xo: number, y: TypedArray, yo: number, pre: number, red: number, post: number) => void;

/** For each (i, p): m = max_r x, s = Σ_r exp(x - m); writes the kind's result. */
const blocks = perDtype<Blocks>(function softmaxBlocks(kind, x, xo, y, yo, pre, red, post) {
  for (let p = 0; p < post; p++) {
    for (let i = 0; i < pre; i++) {
      const base = xo + p * pre * red + i;
      let m = -Infinity;
      for (let r = 0; r < red; r++) { const v = x[base + r * pre]!; if (v > m || v !== v) m = v; }
      if (m === -Infinity || m === Infinity) m = 0;
      let s = 0;
      for (let r = 0; r < red; r++) s += Math.exp(x[base + r * pre]! - m);
      if (kind === 2) { y[yo + p * pre + i] = m + Math.log(s); continue; }
      const ybase = yo + p * pre * red + i, ls = Math.log(s);
      if (kind === 0) for (let r = 0; r < red; r++) y[ybase + r * pre] = Math.exp(x[base + r * pre]! - m) / s;
      else for (let r = 0; r < red; r++) y[ybase + r * pre] = x[base + r * pre]! - m - ls;
    }
  }
});

type MapFn = (kind: number, x: TypedArray, xo: number, y: TypedArray, yo: number, slotOf: Int32Array, m: Float64Array, s: Float64Array) => void;

const mapped = perDtype<MapFn>(function softmaxMapped(kind, x, xo, y, yo, slotOf, m, s) {
  const n = slotOf.length, slots = m.length;
  m.fill(-Infinity);
  s.fill(0);
  for (let e = 0; e < n; e++) { const v = x[xo + e]!, k = slotOf[e]!; if (v > m[k]! || v !== v) m[k] = v; }
  for (let k = 0; k < slots; k++) if (m[k] === -Infinity || m[k] === Infinity) m[k] = 0;
  for (let e = 0; e < n; e++) { const k = slotOf[e]!; s[k]! += Math.exp(x[xo + e]! - m[k]!); }
  if (kind === 2) { for (let k = 0; k < slots; k++) y[yo + k] = m[k]! + Math.log(s[k]!); return; }
  for (let e = 0; e < n; e++) {
    const k = slotOf[e]!, d = x[xo + e]! - m[k]!;
    y[yo + e] = kind === 0 ? Math.exp(d) / s[k]! : d - Math.log(s[k]!);
  }
});

export function softmaxKernel(kind: SoftmaxKind, layout: ReduceLayout, dtype: string): (x: TypedArray, xo: number, y: TypedArray, yo: number) => void {
  const k = KIND[kind];
  if (layout.kind === "blocks") {
    const f = blocks(dtype), { pre, red, post } = layout;
    return (x, xo, y, yo) => f(k, x, xo, y, yo, pre, red, post);
  }
  const f = mapped(dtype), { slotOf, slots } = layout;
  const m = new Float64Array(slots), s = new Float64Array(slots);
  return (x, xo, y, yo) => f(k, x, xo, y, yo, slotOf, m, s);
}
