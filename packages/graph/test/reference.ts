/**
 * Independent reference implementations for the op sweep: plain JS arrays, column-major, element by
 * element through multi-indices. Deliberately naive: nothing here shares code with the kernels.
 */
export interface Arr {
  shape: number[];
  data: number[];
}

export const size = (shape: readonly number[]): number => shape.reduce((a, d) => a * d, 1);

/** Flat column-major position of a multi-index. */
export function flatIndex(shape: readonly number[], idx: readonly number[]): number {
  let p = 0, stride = 1;
  shape.forEach((d, i) => {
    p += idx[i]! * stride;
    stride *= d;
  });
  return p;
}

/** Multi-index of a flat column-major position. */
export function multiIndex(shape: readonly number[], p: number): number[] {
  return shape.map((d) => {
    const k = p % d;
    p = Math.floor(p / d);
    return k;
  });
}

export const map1 = (x: Arr, f: (v: number) => number): Arr => ({ shape: x.shape, data: x.data.map(f) });
export const map2 = (a: Arr, b: Arr, f: (x: number, y: number) => number): Arr => ({ shape: a.shape, data: a.data.map((x, i) => f(x, b.data[i]!)) });

export function reduceRef(x: Arr, axes: readonly number[], keep: boolean, init: number, f: (acc: number, v: number) => number): Arr {
  const kept = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const out = new Array(size(kept)).fill(init);
  x.data.forEach((v, p) => {
    const idx = multiIndex(x.shape, p).map((k, i) => (axes.includes(i) ? 0 : k));
    const q = flatIndex(kept, idx);
    out[q] = f(out[q], v);
  });
  return { shape: keep ? kept : x.shape.filter((_, i) => !axes.includes(i)), data: out };
}

/** Groups of flat positions that share every index outside `axes`. */
function groups(shape: readonly number[], axes: readonly number[]): number[][] {
  const byKey = new Map<string, number[]>();
  for (let p = 0; p < size(shape); p++) {
    const key = multiIndex(shape, p).map((k, i) => (axes.includes(i) ? "*" : k)).join(",");
    byKey.set(key, [...(byKey.get(key) ?? []), p]);
  }
  return [...byKey.values()];
}

export function softmaxRef(x: Arr, axes: readonly number[], kind: "softmax" | "logsoftmax"): Arr {
  const out = new Array(x.data.length).fill(0);
  for (const g of groups(x.shape, axes)) {
    const total = g.reduce((s, p) => s + Math.exp(x.data[p]!), 0);
    for (const p of g) out[p] = kind === "softmax" ? Math.exp(x.data[p]!) / total : x.data[p]! - Math.log(total);
  }
  return { shape: x.shape, data: out };
}

export function matmulRef(a: Arr, b: Arr, transA: boolean, transB: boolean): Arr {
  const A = (i: number, k: number) => (transA ? a.data[k + i * a.shape[0]!]! : a.data[i + k * a.shape[0]!]!);
  const B = (k: number, j: number) => (transB ? b.data[j + k * b.shape[0]!]! : b.data[k + j * b.shape[0]!]!);
  const m = transA ? a.shape[1]! : a.shape[0]!, kk = transA ? a.shape[0]! : a.shape[1]!, n = transB ? b.shape[0]! : b.shape[1]!;
  const data: number[] = [];
  for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) {
    let s = 0;
    for (let k = 0; k < kk; k++) s += A(i, k) * B(k, j);
    data.push(s);
  }
  return { shape: [m, n], data };
}

export function permuteRef(x: Arr, perm: readonly number[]): Arr {
  const shape = perm.map((p) => x.shape[p]!);
  const data = new Array(size(shape)).fill(0);
  x.data.forEach((v, p) => {
    const idx = multiIndex(x.shape, p);
    data[flatIndex(shape, perm.map((q) => idx[q]!))] = v;
  });
  return { shape, data };
}

export function broadcastRef(x: Arr, shape: readonly number[]): Arr {
  const data: number[] = [];
  for (let p = 0; p < size(shape); p++) {
    const idx = multiIndex(shape, p).map((k, i) => ((x.shape[i] ?? 1) === 1 ? 0 : k));
    data.push(x.data[flatIndex(x.shape, idx.slice(0, x.shape.length))]!);
  }
  return { shape: [...shape], data };
}

export function sliceRef(x: Arr, start: readonly number[], stop: readonly number[], step: readonly number[]): Arr {
  const shape = x.shape.map((_, i) => Math.max(0, Math.ceil((stop[i]! - start[i]!) / step[i]!)));
  const data: number[] = [];
  for (let p = 0; p < size(shape); p++) {
    const idx = multiIndex(shape, p).map((k, i) => start[i]! + k * step[i]!);
    data.push(x.data[flatIndex(x.shape, idx)]!);
  }
  return { shape, data };
}

export function unsliceRef(y: Arr, shape: readonly number[], start: readonly number[], step: readonly number[]): Arr {
  const data = new Array(size(shape)).fill(0);
  y.data.forEach((v, p) => {
    const idx = multiIndex(y.shape, p).map((k, i) => start[i]! + k * step[i]!);
    data[flatIndex(shape, idx)] = v;
  });
  return { shape: [...shape], data };
}

export function concatRef(xs: readonly Arr[], axis: number): Arr {
  const shape = [...xs[0]!.shape];
  shape[axis] = xs.reduce((s, x) => s + x.shape[axis]!, 0);
  const data = new Array(size(shape)).fill(0);
  let at = 0;
  for (const x of xs) {
    x.data.forEach((v, p) => {
      const idx = multiIndex(x.shape, p);
      idx[axis]! += at;
      data[flatIndex(shape, idx)] = v;
    });
    at += x.shape[axis]!;
  }
  return { shape, data };
}

export const sigmoidRef = (v: number): number => 1 / (1 + Math.exp(-v));
export const softplusRef = (v: number): number => Math.log(1 + Math.exp(v));
