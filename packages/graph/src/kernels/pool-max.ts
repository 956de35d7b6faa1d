/**
 * Max pooling passes for Float32 data in the WebAssembly heap (kernels/wasm/pool-max.ts): the forward
 * value, the gather of v through each window's first maximum, and the scatter of dy to it, each in one
 * pass over x. The tables are made once per geometry; a pass returns false when an array is outside
 * the heap or Wasm is unavailable, and the caller runs the JS argmax loops instead.
 */
import type { TypedArray } from "../dtype";
import { allocLongLived, heapOffset } from "../memory";
import { poolGeometry, type PoolGeometry } from "./pool";
import type { PoolAttrs } from "../ops/conv-geometry";
import { wasmMaxPool, type MaxPoolMode } from "./wasm/pool-max";

/** The tables and geometry of the Wasm passes of one pooling geometry. */
export interface MaxPoolPlan {
  /** Per output row (od, oh): first element of its window's rows, nh, nd. */
  readonly rows: Int32Array;
  /** Per output column ow: first in-bounds column of its window, nw. */
  readonly cols: Int32Array;
  /** Outputs [owLo, owHi) of every row have a full-width window (the SIMD windows). */
  readonly owLo: number;
  readonly owHi: number;
  readonly g: PoolGeometry;
}

/** The in-bounds part [start, count] of window `o` along dim `i` of extent `n`. */
function span(g: PoolGeometry, o: number, i: number, n: number): [number, number] {
  const s = o * g.stride[i]! - g.lo[i]!;
  return [Math.max(s, 0), Math.max(0, Math.min(s + g.k[i]!, n) - Math.max(s, 0))];
}

/** The tables of a geometry (see MaxPoolPlan). */
export function maxPoolPlan(g: PoolGeometry): MaxPoolPlan {
  const [W, H, D] = g.inS as [number, number, number], [Wo, Ho, Do] = g.outS as [number, number, number];
  const rows: number[] = [], cols: number[] = [];
  for (let od = 0; od < Do; od++) for (let oh = 0; oh < Ho; oh++) {
    const [d0, nd] = span(g, od, 2, D), [h0, nh] = span(g, oh, 1, H);
    rows.push((d0 * H + h0) * W, nh, nd);
  }
  for (let ow = 0; ow < Wo; ow++) cols.push(...span(g, ow, 0, W));
  const [kw, sw, lw] = [g.k[0]!, g.stride[0]!, g.lo[0]!];
  const owLo = Math.min(Wo, Math.ceil(lw / sw));
  const owHi = W - kw + lw < 0 ? owLo : Math.max(owLo, Math.min(Wo, Math.floor((W - kw + lw) / sw) + 1));
  const heapTable = (xs: number[]) => {
    const t = allocLongLived("i32", xs.length) as Int32Array;
    t.set(xs);
    return t;
  };
  return { rows: heapTable(rows), cols: heapTable(cols), owLo, owHi, g };
}

const bits = new DataView(new ArrayBuffer(4));

/**
 * One Wasm pass of `mode` scanning `x`: "max" writes each window's maximum (or `floor`) into `o`;
 * "gather" writes `a[first max]` (or 0) into `o`; "scatter" adds `o[window]` (dy) into `a[first max]`
 * (dx, zeroed by the caller). Returns false when it cannot run.
 */
export function maxPoolPass(mode: MaxPoolMode, p: MaxPoolPlan, x: TypedArray, xOff: number, o: TypedArray, oOff: number, a: TypedArray, aOff: number, floor: number): boolean {
  if (!(x instanceof Float32Array) || !(o instanceof Float32Array) || !(a instanceof Float32Array)) return false;
  const px = heapOffset(x, xOff), po = heapOffset(o, oOff), pa = heapOffset(a, aOff), pr = heapOffset(p.rows, 0), pc = heapOffset(p.cols, 0);
  if (px < 0 || po < 0 || pa < 0 || pr < 0 || pc < 0) return false;
  const g = p.g, [W, H, D] = g.inS as [number, number, number];
  bits.setFloat32(0, floor);
  return wasmMaxPool(mode, px, po, pa, g.planes, W * H * D, pr, p.rows.length / 3, pc, g.outS[0]!, p.owLo, p.owHi, W * H, W, g.k[0]!, g.stride[0]!, g.lo[0]!, bits.getInt32(0));
}

/** The Wasm plan for Float32 data of `shape` pooled with `a`; undefined for other element types. */
export function maxPoolPlanFor(shape: readonly number[], dtype: string, a: PoolAttrs): MaxPoolPlan | undefined {
  return dtype === "f32" ? maxPoolPlan(poolGeometry(shape, a)) : undefined;
}
