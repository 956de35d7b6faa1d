/**
 * Independent references for convolution and pooling: plain loops over multi-indices, straight from
 * NNlib's definitions (conv_direct.jl, pooling_direct.jl). Nothing here shares code with the kernels.
 */
import { flatIndex, multiIndex, size, type Arr } from "./reference";

/** Convolution settings in the references' own form (0-based, per dim; pad as [lo1, hi1, ...]). */
export interface ConvSpec { stride: number[]; pad: number[]; dilation: number[]; groups: number; flip: boolean }
export interface PoolSpec { window: number[]; stride: number[]; pad: number[] }

const outLen = (n: number, k: number, s: number, lo: number, hi: number, d: number) => Math.floor((n + lo + hi - d * (k - 1) - 1) / s) + 1;

/**
 * Calls f(xIndex, wIndex, yIndex) for every product x[xIndex] * w[wIndex] that conv sums into y[yIndex],
 * where the input position of output o and filter tap k is o*s - lo + t*d with t = K-1-k (flip) or k.
 */
function convTerms(xShape: number[], wShape: number[], c: ConvSpec, f: (xi: number, wi: number, yi: number) => void): number[] {
  const nsp = xShape.length - 2;
  const kShape = wShape.slice(0, nsp), cinG = wShape[nsp]!, cout = wShape[nsp + 1]!, coutG = cout / c.groups;
  const outS = xShape.slice(0, nsp).map((n, i) => outLen(n, kShape[i]!, c.stride[i]!, c.pad[2 * i]!, c.pad[2 * i + 1]!, c.dilation[i]!));
  const yShape = [...outS, cout, xShape[nsp + 1]!];
  for (let yi = 0; yi < size(yShape); yi++) {
    const yIdx = multiIndex(yShape, yi);
    const co = yIdx[nsp]!, n = yIdx[nsp + 1]!, g = Math.floor(co / coutG);
    for (let ki = 0; ki < size(kShape); ki++) {
      const k = multiIndex(kShape, ki);
      const pos = k.map((kk, i) => yIdx[i]! * c.stride[i]! - c.pad[2 * i]! + (c.flip ? kShape[i]! - 1 - kk : kk) * c.dilation[i]!);
      if (pos.some((p, i) => p < 0 || p >= xShape[i]!)) continue;
      for (let ci = 0; ci < cinG; ci++) {
        f(flatIndex(xShape, [...pos, g * cinG + ci, n]), flatIndex(wShape, [...k, ci, co]), yi);
      }
    }
  }
  return yShape;
}

/** y = conv(x, w). */
export function convRef(x: Arr, w: Arr, c: ConvSpec): Arr {
  const terms: Array<[number, number, number]> = [];
  const shape = convTerms(x.shape, w.shape, c, (xi, wi, yi) => terms.push([xi, wi, yi]));
  const data = new Array<number>(size(shape)).fill(0);
  for (const [xi, wi, yi] of terms) data[yi]! += x.data[xi]! * w.data[wi]!;
  return { shape, data };
}

/** dx = Σ dy[y] w[k] over the same terms (the adjoint of conv in x), for data of shape xShape. */
export function convDataRef(dy: Arr, w: Arr, xShape: number[], c: ConvSpec): Arr {
  const data = new Array<number>(size(xShape)).fill(0);
  convTerms(xShape, w.shape, c, (xi, wi, yi) => (data[xi]! += dy.data[yi]! * w.data[wi]!));
  return { shape: xShape, data };
}

/** dw = Σ x[...] dy[y] over the same terms (the adjoint of conv in w), for a filter of shape wShape. */
export function convFilterRef(x: Arr, dy: Arr, wShape: number[], c: ConvSpec): Arr {
  const data = new Array<number>(size(wShape)).fill(0);
  convTerms(x.shape, wShape, c, (xi, wi, yi) => (data[wi]! += x.data[xi]! * dy.data[yi]!));
  return { shape: wShape, data };
}

/** For each output: its window's in-bounds input flat indices, scanned with dim 1 fastest. */
function poolWindows(xShape: number[], p: PoolSpec): { yShape: number[]; windows: number[][] } {
  const nsp = xShape.length - 2;
  const outS = xShape.slice(0, nsp).map((n, i) => outLen(n, p.window[i]!, p.stride[i]!, p.pad[2 * i]!, p.pad[2 * i + 1]!, 1));
  const yShape = [...outS, ...xShape.slice(nsp)];
  const windows: number[][] = [];
  for (let yi = 0; yi < size(yShape); yi++) {
    const yIdx = multiIndex(yShape, yi);
    const win: number[] = [];
    for (let ki = 0; ki < size(p.window); ki++) {
      const k = multiIndex(p.window, ki);
      const pos = k.map((kk, i) => yIdx[i]! * p.stride[i]! - p.pad[2 * i]! + kk);
      if (pos.every((q, i) => q >= 0 && q < xShape[i]!)) win.push(flatIndex(xShape, [...pos, ...yIdx.slice(nsp)]));
    }
    windows.push(win);
  }
  return { yShape, windows };
}

/** Index of each window's first strict maximum above -floatmax (NNlib), or -1. */
function firstMax(x: Arr, windows: number[][]): number[] {
  return windows.map((win) => {
    let best = -1, m = -Number.MAX_VALUE;
    for (const i of win) if (x.data[i]! > m) [best, m] = [i, x.data[i]!];
    return best;
  });
}

export function maxpoolRef(x: Arr, p: PoolSpec): Arr {
  const { yShape, windows } = poolWindows(x.shape, p);
  return { shape: yShape, data: firstMax(x, windows).map((i) => (i < 0 ? -Number.MAX_VALUE : x.data[i]!)) };
}

export function maxpoolGatherRef(v: Arr, x: Arr, p: PoolSpec): Arr {
  const { yShape, windows } = poolWindows(x.shape, p);
  return { shape: yShape, data: firstMax(x, windows).map((i) => (i < 0 ? 0 : v.data[i]!)) };
}

export function maxpoolScatterRef(dy: Arr, x: Arr, p: PoolSpec): Arr {
  const { windows } = poolWindows(x.shape, p);
  const data = new Array<number>(x.data.length).fill(0);
  firstMax(x, windows).forEach((i, o) => {
    if (i >= 0) data[i]! += dy.data[o]!;
  });
  return { shape: x.shape, data };
}

export function meanpoolRef(x: Arr, p: PoolSpec): Arr {
  const { yShape, windows } = poolWindows(x.shape, p);
  const k = size(p.window);
  return { shape: yShape, data: windows.map((win) => win.reduce((s, i) => s + x.data[i]!, 0) / k) };
}

export function meanpoolAdjointRef(dy: Arr, xShape: number[], p: PoolSpec): Arr {
  const { windows } = poolWindows(xShape, p);
  const k = size(p.window), data = new Array<number>(size(xShape)).fill(0);
  windows.forEach((win, o) => win.forEach((i) => (data[i]! += dy.data[o]! / k)));
  return { shape: xShape, data };
}
