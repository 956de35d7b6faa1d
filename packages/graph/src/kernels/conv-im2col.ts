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

/** Where in a column matrix one sample's rows go: rows `[rowOff, rowOff + P)` of a matrix with `ld` rows. */
export interface ColPlace {
  col: TypedArray;
  colOff: number;
  rowOff: number;
  ld: number;
}

/** The geometry as the loop reads it: in, kernel, out, stride, dilation, low pad (3 each), Cin/G, flip. */
export function packGeometry(g: ConvGeometry): Int32Array {
  return Int32Array.from([...g.inS, ...g.k, ...g.outS, ...g.stride, ...g.dilation, ...g.lo, g.cin / g.groups, g.flip ? 1 : 0]);
}

type Im2col = (G: Int32Array, x: TypedArray, x0: number, col: TypedArray, c0: number, ld: number, add: boolean) => void;

/**
 * One loop for both directions (self-contained: perDtype compiles a copy per element type):
 * `add` false writes col[...] = x[...] (0 where the window reads padding); true adds col back into x.
 */
const im2colLoop = perDtype<Im2col>(function im2colLoop(G, x, x0, col, c0, ld, add) {
  const Win = G[0]!, Hin = G[1]!, Din = G[2]!, Kw = G[3]!, Kh = G[4]!, Kd = G[5]!, Wo = G[6]!, Ho = G[7]!, Do = G[8]!;
  const sw = G[9]!, sh = G[10]!, sd = G[11]!, dw = G[12]!, dh = G[13]!, dd = G[14]!, lw = G[15]!, lh = G[16]!, ld3 = G[17]!;
  const cinG = G[18]!, flip = G[19]! === 1, S = Win * Hin * Din;
  for (let ci = 0; ci < cinG; ci++) {
    const xc = x0 + ci * S;
    for (let kd = 0; kd < Kd; kd++) {
      const td = flip ? Kd - 1 - kd : kd;
      for (let kh = 0; kh < Kh; kh++) {
        const th = flip ? Kh - 1 - kh : kh;
        for (let kw = 0; kw < Kw; kw++) {
          const tw = flip ? Kw - 1 - kw : kw;
          const wBase = tw * dw - lw;
          // output columns ow whose input column ow*sw + wBase lies in [0, Win)
          let owLo = wBase >= 0 ? 0 : Math.ceil(-wBase / sw);
          let owHi = wBase >= Win ? 0 : Math.floor((Win - 1 - wBase) / sw) + 1;
          if (owLo > Wo) owLo = Wo;
          if (owHi > Wo) owHi = Wo;
          if (owHi < owLo) owHi = owLo;
          let c = c0 + (kw + Kw * (kh + Kh * (kd + Kd * ci))) * ld;
          for (let od = 0; od < Do; od++) {
            const id = od * sd - ld3 + td * dd;
            for (let oh = 0; oh < Ho; oh++, c += Wo) {
              const ih = oh * sh - lh + th * dh;
              if (id < 0 || id >= Din || ih < 0 || ih >= Hin) {
                if (!add) for (let ow = 0; ow < Wo; ow++) col[c + ow] = 0;
                continue;
              }
              let xi = xc + (id * Hin + ih) * Win + owLo * sw + wBase;
              if (add) {
                for (let ow = owLo; ow < owHi; ow++, xi += sw) x[xi] += col[c + ow]!;
              } else {
                for (let ow = 0; ow < owLo; ow++) col[c + ow] = 0;
                for (let ow = owLo; ow < owHi; ow++, xi += sw) col[c + ow] = x[xi]!;
                for (let ow = owHi; ow < Wo; ow++) col[c + ow] = 0;
              }
            }
          }
        }
      }
    }
  }
});

/** Offset of channel `group * Cin/G` of sample `n` in the data. */
export function channelStart(g: ConvGeometry, n: number, group: number): number {
  return (n * g.cin + group * (g.cin / g.groups)) * g.inS[0]! * g.inS[1]! * g.inS[2]!;
}

const kindOf = (a: TypedArray) => (a instanceof Float32Array ? "f32" : "f64");

/** Writes the column matrix of sample `n`, group `group` of data `x` into `place`. */
export function im2col(g: ConvGeometry, G: Int32Array, x: TypedArray, xOff: number, n: number, group: number, place: ColPlace): void {
  im2colLoop(kindOf(x))(G, x, xOff + channelStart(g, n, group), place.col, place.colOff + place.rowOff, place.ld, false);
}

/** Adds the column matrix in `place` back into the data gradient `dx` of sample `n`, group `group`. */
export function col2imAdd(g: ConvGeometry, G: Int32Array, place: ColPlace, dx: TypedArray, dxOff: number, n: number, group: number): void {
  im2colLoop(kindOf(dx))(G, dx, dxOff + channelStart(g, n, group), place.col, place.colOff + place.rowOff, place.ld, true);
}
