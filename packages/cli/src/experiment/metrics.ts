/** Classification accuracy from outputs and one-hot targets, and a model's loss and accuracy on a split. */
import { Tensor, toColMajor, type NdArray } from "@tsflux/graph";
import type { Layer } from "@tsflux/layers";
import type { LossFunction, Split } from "./types";

/** Targets with more than one row are classes (one-hot or probabilities): accuracy means something for them. */
export function isClassification(y: NdArray): boolean {
  return y.shape.length === 2 && y.shape[0]! > 1;
}

/** The row of the largest entry of column `j` of column-major `data` with `rows` rows (the first one on ties). */
function argmaxColumn(data: NdArray["data"], offset: number, rows: number, j: number): number {
  let best = 0;
  for (let i = 1; i < rows; i++) if (data[offset + j * rows + i]! > data[offset + j * rows + best]!) best = i;
  return best;
}

/** How many columns of `yhat` [classes, n] have their largest entry in the same row as `y`'s. */
export function countCorrect(yhat: NdArray, y: NdArray): number {
  const a = toColMajor(yhat), b = toColMajor(y);
  const rows = a.shape[0]!, columns = a.shape[1] ?? 1;
  let correct = 0;
  for (let j = 0; j < columns; j++) if (argmaxColumn(a.data, a.offset, rows, j) === argmaxColumn(b.data, b.offset, rows, j)) correct++;
  return correct;
}

/** Columns [start, start + count) of `a` along its last dimension, as a view. */
function columns(a: NdArray, start: number, count: number): NdArray {
  const last = a.shape.length - 1;
  const lo = a.shape.map((_, d) => (d === last ? start : 0));
  const hi = a.shape.map((n, d) => (d === last ? count : n));
  return a.lo(...lo).hi(...hi);
}

/** The model's mean loss over `split` and, for classes, its accuracy; run eagerly in chunks of `chunk` observations. */
export function evaluate(model: Layer, split: Split, loss: LossFunction, chunk = 1000): { loss: number; accuracy?: number } {
  const n = split.x.shape[split.x.shape.length - 1]!;
  let total = 0, correct = 0;
  for (let start = 0; start < n; start += chunk) {
    const count = Math.min(chunk, n - start);
    const x = columns(split.x, start, count), y = columns(split.y, start, count);
    const yhat = model.forward(x);
    total += Number(loss(yhat, Tensor.concrete(y))) * count;
    if (isClassification(split.y)) correct += countCorrect(yhat.toNdarray(), y);
  }
  return isClassification(split.y) ? { loss: total / n, accuracy: correct / n } : { loss: total / n };
}
