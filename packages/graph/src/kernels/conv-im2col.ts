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

/** Where in a column matrix one sample's rows go: rows `[rowOff, rowOff + P)` of a matrix with `ld` rows. */
export interface ColPlace {
  col: TypedArray;
  colOff: number;
  rowOff: number;
  ld: number;
}

/** First and one-past-last output index `o` with `0 <= o*s + base < n` (base = kernel offset - lo). */
function validRange(outLen: number, s: number, base: number, n: number): [number, number] {
  const first = base >= 0 ? 0 : Math.ceil(-base / s);
  const last = base >= n ? 0 : Math.floor((n - 1 - base) / s) + 1;
  return [Math.min(first, outLen), Math.max(Math.min(last, outLen), Math.min(first, outLen))];
}

/**
 * Visits every (column j, input row start, output row start, valid output range along W) of one
 * sample and group; `visit(j, xRow, colRow, owLo, owHi)` handles one row of outputs, and
 * `zero(j, colRow, len)` one with no valid input.
 */
function forEachRow(
  g: ConvGeometry, xChan0: number,
  visit: (j: number, xRow: number, colRow: number, owLo: number, owHi: number, wBase: number) => void,
  zero: (j: number, colRow: number, len: number) => void,
): void {
  const [Win, Hin, Din] = g.inS, [Kw, Kh, Kd] = g.k, [Wo, Ho, Do] = g.outS;
  const [sw, sh, sd] = g.stride, [dw, dh, dd] = g.dilation, [lw, lh, ld] = g.lo;
  const cinG = g.cin / g.groups, S = Win * Hin * Din;
  for (let ci = 0; ci < cinG; ci++) {
    const xc = xChan0 + ci * S;
    for (let kd = 0; kd < Kd; kd++) {
      const td = g.flip ? Kd - 1 - kd : kd;
      for (let kh = 0; kh < Kh; kh++) {
        const th = g.flip ? Kh - 1 - kh : kh;
        for (let kw = 0; kw < Kw; kw++) {
          const tw = g.flip ? Kw - 1 - kw : kw;
          const j = kw + Kw * (kh + Kh * (kd + Kd * ci));
          const wBase = tw * dw - lw;
          const [owLo, owHi] = validRange(Wo, sw, wBase, Win);
          let colRow = 0;
          for (let od = 0; od < Do; od++) {
            const id = od * sd - ld + td * dd;
            if (id < 0 || id >= Din) {
              zero(j, colRow, Wo * Ho);
              colRow += Wo * Ho;
              continue;
            }
            for (let oh = 0; oh < Ho; oh++, colRow += Wo) {
              const ih = oh * sh - lh + th * dh;
              if (ih < 0 || ih >= Hin) zero(j, colRow, Wo);
              else visit(j, xc + (id * Hin + ih) * Win, colRow, owLo, owHi, wBase);
            }
          }
        }
      }
    }
  }
}

/** Offset of channel `group * Cin/G` of sample `n` in the data. */
export function channelStart(g: ConvGeometry, n: number, group: number): number {
  return (n * g.cin + group * (g.cin / g.groups)) * g.inS[0]! * g.inS[1]! * g.inS[2]!;
}

/** Writes the column matrix of sample `n`, group `group` of data `x` into `place`. */
export function im2col(g: ConvGeometry, x: TypedArray, xOff: number, n: number, group: number, place: ColPlace): void {
  const { col, colOff, rowOff, ld } = place;
  const Wo = g.outS[0]!, sw = g.stride[0]!;
  forEachRow(
    g, xOff + channelStart(g, n, group),
    (j, xRow, colRow, owLo, owHi, wBase) => {
      const c = colOff + j * ld + rowOff + colRow;
      for (let ow = 0; ow < owLo; ow++) col[c + ow] = 0;
      let xi = xRow + owLo * sw + wBase;
      for (let ow = owLo; ow < owHi; ow++, xi += sw) col[c + ow] = x[xi]!;
      for (let ow = owHi; ow < Wo; ow++) col[c + ow] = 0;
    },
    (j, colRow, len) => {
      const c = colOff + j * ld + rowOff + colRow;
      col.fill(0, c, c + len);
    },
  );
}

/** Adds the column matrix in `place` back into the data gradient `dx` of sample `n`, group `group`. */
export function col2imAdd(g: ConvGeometry, place: ColPlace, dx: TypedArray, dxOff: number, n: number, group: number): void {
  const { col, colOff, rowOff, ld } = place;
  const sw = g.stride[0]!;
  forEachRow(
    g, dxOff + channelStart(g, n, group),
    (j, xRow, colRow, owLo, owHi, wBase) => {
      const c = colOff + j * ld + rowOff + colRow;
      let xi = xRow + owLo * sw + wBase;
      for (let ow = owLo; ow < owHi; ow++, xi += sw) dx[xi] += col[c + ow]!;
    },
    () => {},
  );
}
