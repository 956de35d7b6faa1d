/**
 * Naive references for the indexing and batched ops of the sweep, through multi-indices: gather,
 * scatter-add, the batched matrix product and the first-true mask.
 */
import { flatIndex, multiIndex, size, type Arr } from "./reference";

/** out[lead..., k...] = src[lead..., idx[k...]] (1-based indices). */
export function gatherRef(src: Arr, idx: Arr): Arr {
  const lead = src.shape.slice(0, -1);
  const shape = [...lead, ...idx.shape];
  const data = Array.from({ length: size(shape) }, (_, p) => {
    const at = multiIndex(shape, p);
    const k = flatIndex(idx.shape, at.slice(lead.length));
    return src.data[flatIndex(src.shape, [...at.slice(0, lead.length), idx.data[k]! - 1])]!;
  });
  return { shape, data };
}

/** out[lead..., j] = Σ over k with idx[k] = j of y[lead..., k...]. */
export function scatterAddRef(y: Arr, idx: Arr, columns: number): Arr {
  const lead = y.shape.slice(0, y.shape.length - idx.shape.length);
  const shape = [...lead, columns];
  const data = new Array<number>(size(shape)).fill(0);
  for (let p = 0; p < y.data.length; p++) {
    const at = multiIndex(y.shape, p);
    const j = idx.data[flatIndex(idx.shape, at.slice(lead.length))]! - 1;
    data[flatIndex(shape, [...at.slice(0, lead.length), j])]! += y.data[p]!;
  }
  return { shape, data };
}

/** C[i, j, b] = Σ_k op(A)[i, k, b] op(B)[k, j, b]. */
export function batchedMatmulRef(a: Arr, b: Arr, transA: boolean, transB: boolean): Arr {
  const A = (i: number, k: number, p: number) => a.data[flatIndex(a.shape, transA ? [k, i, p] : [i, k, p])]!;
  const B = (k: number, j: number, p: number) => b.data[flatIndex(b.shape, transB ? [j, k, p] : [k, j, p])]!;
  const m = transA ? a.shape[1]! : a.shape[0]!, kk = transA ? a.shape[0]! : a.shape[1]!, n = transB ? b.shape[0]! : b.shape[1]!;
  const batch = a.shape[2]!;
  const shape = [m, n, batch];
  const data = Array.from({ length: size(shape) }, (_, p) => {
    const [i, j, q] = multiIndex(shape, p) as [number, number, number];
    let s = 0;
    for (let k = 0; k < kk; k++) s += A(i, k, q) * B(k, j, q);
    return s;
  });
  return { shape, data };
}

/** Keeps the first true of each slice along `axes`, scanning the slice's elements in column-major order. */
export function firstHitRef(x: Arr, axes: readonly number[]): Arr {
  const data = new Array<number>(x.data.length).fill(0);
  const slices = new Map<string, boolean>();
  for (let p = 0; p < x.data.length; p++) {
    const key = multiIndex(x.shape, p).map((c, d) => (axes.includes(d) ? "*" : c)).join(",");
    if (x.data[p] && !slices.has(key)) {
      slices.set(key, true);
      data[p] = 1;
    }
  }
  return { shape: x.shape, data };
}
