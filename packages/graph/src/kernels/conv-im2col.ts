/**
 * im2col and col2im for N-d convolutions (up to three spatial dims), column-major.
 *
 * The column matrix of one sample and group has a row per output position p (W fastest) and a column
 * per filter tap and input channel, `j = kw + Kw*(kh + Kh*(kd + Kd*ci))`, the filter's own layout: so
 * `col * reshape(w, K*Cin/G, Cout)` is the convolution. With `flip` (true convolution) filter tap kw
 * reads the input at kernel position `Kw-1-kw`; otherwise (cross-correlation) at `kw`.
 */
import type { TypedArray } from "../dtype";
import type { ConvGeometry } from "../ops/conv-geometry";
import { perDtype } from "./monomorphic";
import { allocLongLived, heapOffset } from "../memory";
import { wasmIm2col } from "./wasm/im2col";

/** Where in a column matrix one sample's rows go: rows `[rowOff, rowOff + P)` of a matrix with `ld` rows. */
export interface ColPlace {
  col: TypedArray;
  colOff: number;
  rowOff: number;
  ld: number;
}

/**
 * The rows of one channel's column block, precomputed once per geometry: for every filter tap t and
 * output row (od, oh), `[t, first output position of the row, input offset of its first valid
 * element (or -1 when the row reads only padding), first and one-past-last valid output column]`.
 */
export interface RowTable {
  readonly rows: Int32Array;
  readonly count: number;
  /** Taps per channel (the column stride between channels, in columns). */
  readonly taps: number;
  readonly wo: number;
  readonly sw: number;
  /** Elements per input channel. */
  readonly chan: number;
  readonly cinG: number;
}

/** The row table of a geometry (see RowTable). */
export function rowTable(g: ConvGeometry): RowTable {
  const [Win, Hin, Din] = g.inS as [number, number, number], [Kw, Kh, Kd] = g.k as [number, number, number];
  const [Wo, Ho, Do] = g.outS as [number, number, number], [sw, sh, sd] = g.stride as [number, number, number];
  const [dw, dh, dd] = g.dilation as [number, number, number], [lw, lh, ld] = g.lo as [number, number, number];
  const flip = (t: number, k: number) => (g.flip ? k - 1 - t : t);
  const rows: number[] = [];
  for (let kd = 0; kd < Kd; kd++) for (let kh = 0; kh < Kh; kh++) for (let kw = 0; kw < Kw; kw++) {
    const t = kw + Kw * (kh + Kh * kd);
    const wBase = flip(kw, Kw) * dw - lw;
    // output columns ow whose input column ow*sw + wBase lies in [0, Win)
    const lo = Math.min(Wo, wBase >= 0 ? 0 : Math.ceil(-wBase / sw));
    const hi = Math.max(lo, Math.min(Wo, wBase >= Win ? 0 : Math.floor((Win - 1 - wBase) / sw) + 1));
    for (let od = 0; od < Do; od++) for (let oh = 0; oh < Ho; oh++) {
      const id = od * sd - ld + flip(kd, Kd) * dd, ih = oh * sh - lh + flip(kh, Kh) * dh;
      const inside = id >= 0 && id < Din && ih >= 0 && ih < Hin && hi > lo;
      rows.push(t, (od * Ho + oh) * Wo, inside ? (id * Hin + ih) * Win + lo * sw + wBase : -1, lo, hi);
    }
  }
  const table = allocLongLived("i32", rows.length) as Int32Array;
  table.set(rows);
  return { rows: table, count: rows.length / 5, taps: Kw * Kh * Kd, wo: Wo, sw, chan: Win * Hin * Din, cinG: g.cin / g.groups };
}

type Im2col = (rows: Int32Array, count: number, taps: number, wo: number, sw: number, chan: number, cinG: number,
  x: TypedArray, x0: number, col: TypedArray, c0: number, ld: number, add: boolean) => void;

/**
 * One loop for both directions over the row table (self-contained: perDtype compiles a copy per
 * element type): `add` false writes col = x (0 where the window reads padding); true adds col into x.
 */
const im2colLoop = perDtype<Im2col>(function im2colLoop(rows, count, taps, wo, sw, chan, cinG, x, x0, col, c0, ld, add) {
  for (let ci = 0; ci < cinG; ci++) {
    const xc = x0 + ci * chan, cc = c0 + ci * taps * ld;
    for (let e = 0, r = 0; e < count; e++, r += 5) {
      const c = cc + rows[r]! * ld + rows[r + 1]!, xo = rows[r + 2]!, lo = rows[r + 3]!, hi = rows[r + 4]!;
      if (xo < 0) {
        if (!add) for (let ow = 0; ow < wo; ow++) col[c + ow] = 0;
        continue;
      }
      let xi = xc + xo;
      if (add) {
        for (let ow = lo; ow < hi; ow++, xi += sw) x[xi]! += col[c + ow]!;
      } else {
        for (let ow = 0; ow < lo; ow++) col[c + ow] = 0;
        if (sw === 1) for (let ow = lo; ow < hi; ow++, xi++) col[c + ow] = x[xi]!;
        else for (let ow = lo; ow < hi; ow++, xi += sw) col[c + ow] = x[xi]!;
        for (let ow = hi; ow < wo; ow++) col[c + ow] = 0;
      }
    }
  }
});

/** Offset of channel `group * Cin/G` of sample `n` in the data. */
export function channelStart(g: ConvGeometry, n: number, group: number): number {
  return (n * g.cin + group * (g.cin / g.groups)) * g.inS[0]! * g.inS[1]! * g.inS[2]!;
}

const kindOf = (a: TypedArray) => (a instanceof Float32Array ? "f32" : "f64");

/** The Wasm loop for Float32 arrays that all live in the heap; false when it cannot run. */
function inWasm(scatter: boolean, t: RowTable, x: TypedArray, x0: number, col: TypedArray, c0: number, ld: number): boolean {
  if (!(x instanceof Float32Array)) return false;
  const px = heapOffset(x, x0), pc = heapOffset(col, c0), pt = heapOffset(t.rows, 0);
  if (px < 0 || pc < 0 || pt < 0) return false;
  return wasmIm2col(scatter, pt, t.count, t.taps, t.wo, t.sw, t.chan, t.cinG, px, pc, ld);
}

/** Writes the column matrix of sample `n`, group `group` of data `x` into `place`. */
export function im2col(g: ConvGeometry, t: RowTable, x: TypedArray, xOff: number, n: number, group: number, place: ColPlace): void {
  if (inWasm(false, t, x, xOff + channelStart(g, n, group), place.col, place.colOff + place.rowOff, place.ld)) return;
  im2colLoop(kindOf(x))(t.rows, t.count, t.taps, t.wo, t.sw, t.chan, t.cinG, x, xOff + channelStart(g, n, group), place.col, place.colOff + place.rowOff, place.ld, false);
}

/** Adds the column matrix in `place` back into the data gradient `dx` of sample `n`, group `group`. */
export function col2imAdd(g: ConvGeometry, t: RowTable, place: ColPlace, dx: TypedArray, dxOff: number, n: number, group: number): void {
  if (inWasm(true, t, dx, dxOff + channelStart(g, n, group), place.col, place.colOff + place.rowOff, place.ld)) return;
  im2colLoop(kindOf(dx))(t.rows, t.count, t.taps, t.wo, t.sw, t.chan, t.cinG, dx, dxOff + channelStart(g, n, group), place.col, place.colOff + place.rowOff, place.ld, true);
}
