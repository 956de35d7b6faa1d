/**
 * Pooling loops (NNlib's pooling_direct), on data padded to three spatial dims. Windows are scanned
 * with the first spatial dim innermost; positions in the padding are skipped.
 */
import type { TypedArray } from "../dtype";
import type { PoolAttrs } from "../ops/conv-geometry";
import { spatialOutput } from "../ops/conv-geometry";

/** The loop geometry of a pooling: three spatial dims, and the number of (channel, sample) planes. */
export interface PoolGeometry {
  readonly inS: number[];
  readonly outS: number[];
  readonly k: number[];
  readonly stride: number[];
  readonly lo: number[];
  readonly planes: number;
}

const to3 = (xs: readonly number[], fill: number): number[] => [0, 1, 2].map((i) => xs[i] ?? fill);

/** Geometry of a pooling with attributes `a` of data of shape `x`. */
export function poolGeometry(x: readonly number[], a: PoolAttrs): PoolGeometry {
  const nsp = x.length - 2;
  const outS = spatialOutput("pool", x.slice(0, nsp), a.window, { ...a, dilation: a.window.map(() => 1) });
  return {
    inS: to3(x.slice(0, nsp), 1), outS: to3(outS, 1), k: to3(a.window, 1), stride: to3(a.stride, 1),
    lo: to3(a.pad.filter((_, i) => i % 2 === 0), 0), planes: x[nsp]! * x[nsp + 1]!,
  };
}

/**
 * Calls `visit(o, x0, w0, w1, h0, h1, d0, d1)` for every output element o (flat, all planes): the
 * window's in-bounds input ranges, and the offset x0 of its plane in the input.
 */
export function forEachWindow(
  g: PoolGeometry,
  visit: (o: number, x0: number, w0: number, w1: number, h0: number, h1: number, d0: number, d1: number) => void,
): void {
  const [W, H, D] = g.inS, [Wo, Ho, Do] = g.outS, [kw, kh, kd] = g.k, [sw, sh, sd] = g.stride, [lw, lh, ld] = g.lo;
  let o = 0;
  for (let p = 0; p < g.planes; p++) {
    const x0 = p * W! * H! * D!;
    for (let od = 0; od < Do!; od++) {
      const ds = od * sd! - ld!, d0 = Math.max(ds, 0), d1 = Math.min(ds + kd!, D!);
      for (let oh = 0; oh < Ho!; oh++) {
        const hs = oh * sh! - lh!, h0 = Math.max(hs, 0), h1 = Math.min(hs + kh!, H!);
        for (let ow = 0; ow < Wo!; ow++, o++) {
          const ws = ow * sw! - lw!;
          visit(o, x0, Math.max(ws, 0), Math.min(ws + kw!, W!), h0, h1, d0, d1);
        }
      }
    }
  }
}

/**
 * For every output, the flat input index of its window's first maximum (strict `>` scan from
 * -floatmax, as NNlib), or -1 when no element exceeds -floatmax (empty, all -Inf or NaN).
 */
export function argmaxWindows(g: PoolGeometry, x: TypedArray, xOff: number, floor: number, out: Int32Array): void {
  const W = g.inS[0]!, HW = W * g.inS[1]!;
  forEachWindow(g, (o, x0, w0, w1, h0, h1, d0, d1) => {
    let m = floor, at = -1;
    for (let d = d0; d < d1; d++) {
      for (let h = h0; h < h1; h++) {
        const row = x0 + d * HW + h * W;
        for (let w = w0; w < w1; w++) {
          const v = x[xOff + row + w]!;
          if (v > m) {
            m = v;
            at = row + w;
          }
        }
      }
    }
    out[o] = at;
  });
}

/** Σ of each window's in-bounds elements times `scale` (meanpool with scale = 1 / prod(window)). */
export function windowSums(g: PoolGeometry, x: TypedArray, xOff: number, y: TypedArray, yOff: number, scale: number): void {
  const W = g.inS[0]!, HW = W * g.inS[1]!;
  forEachWindow(g, (o, x0, w0, w1, h0, h1, d0, d1) => {
    let s = 0;
    for (let d = d0; d < d1; d++) {
      for (let h = h0; h < h1; h++) {
        const row = xOff + x0 + d * HW + h * W;
        for (let w = w0; w < w1; w++) s += x[row + w]!;
      }
    }
    y[yOff + o] = s * scale;
  });
}

/** Adds `dy[o] * scale` to every in-bounds element of window o (the adjoint of windowSums). */
export function windowSpread(g: PoolGeometry, dy: TypedArray, dyOff: number, dx: TypedArray, dxOff: number, scale: number): void {
  const W = g.inS[0]!, HW = W * g.inS[1]!;
  forEachWindow(g, (o, x0, w0, w1, h0, h1, d0, d1) => {
    const v = dy[dyOff + o]! * scale;
    for (let d = d0; d < d1; d++) {
      for (let h = h0; h < h1; h++) {
        const row = dxOff + x0 + d * HW + h * W;
        for (let w = w0; w < w1; w++) dx[row + w] += v;
      }
    }
  });
}
