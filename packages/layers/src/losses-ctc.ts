/**
 * Connectionist temporal classification loss (NNlib's `ctc_loss`, also `Flux.Losses.ctc_loss`): the
 * negative log-likelihood of a label sequence under per-step class scores, summed over all alignments
 * by the forward (α) recursion in log space. The blank is the last class; labels are 1-based.
 */
import {
  ShapeError, add, concat, full, gather, getindex, isNdarray, logsoftmax, logsumexp, neg, permutedims, reshape, toFlatArray, where,
  wrapColMajor, type NdArray, type Tensor, type TensorLike,
} from "@tsflux/graph";
import { operands } from "./losses";
import { sizeStr } from "./arrays";

/** Stands for log(0) in the recursion: finite, so no ∞ - ∞ turns a derivative into NaN, yet exp of it is 0. */
const LOG_ZERO = -1e30;

/** The blank-interleaved labels z′ = [blank, y₁, blank, y₂, …, blank] (1-based). */
function interleaved(labels: readonly number[], blank: number): number[] {
  return [blank, ...labels.flatMap((l) => [l, blank])];
}

/**
 * `ctcLoss(ŷ, y)`: ŷ [classes, T] are unnormalised scores (a logsoftmax over dim 1 is applied), y the
 * 1-based labels (none equal to the blank, which is class `classes`). Returns a scalar; an alignment
 * that cannot fit in T steps gives about 1e30 (NNlib gives Inf).
 */
export function ctcLoss(yhat: TensorLike, y: readonly number[] | NdArray): Tensor {
  const [scores] = operands("ctcLoss", yhat, 0);
  if (scores.shape.length !== 2) throw new ShapeError(`ctcLoss: expected scores of size [classes, T], got ŷ of size ${sizeStr(scores.shape)}`);
  const [classes, steps] = scores.shape as [number, number];
  const labels = isNdarray(y) ? toFlatArray(y) : [...y];
  if (labels.length === 0) throw new ShapeError("ctcLoss: the label sequence y is empty");
  labels.forEach((l, i) => {
    if (!Number.isInteger(l) || l < 1 || l >= classes) throw new ShapeError(`ctcLoss: label ${l} at position ${i + 1} must be an integer in 1:${classes - 1} (class ${classes} is the blank)`);
  });
  const z = interleaved(labels, classes);
  const states = z.length, dtype = scores.dtype;
  // emit[u, t] = log p(z′[u] at step t)
  const logp = logsoftmax(scores, { dims: 1 });
  const emit = permutedims(gather(permutedims(logp, [2, 1]), wrapColMajor(Int32Array.from(z), [states])), [2, 1]);
  const skip = wrapColMajor(Uint8Array.from(z, (zu, u) => (u >= 2 && zu !== classes && z[u - 2] !== zu ? 1 : 0)), [states]);
  const pad = (n: number) => full(LOG_ZERO, [n], dtype);
  const start = wrapColMajor(Float64Array.from(z, (_, u) => (u < 2 ? 0 : LOG_ZERO)), [states]);
  let alpha = add(getindex(emit, ":", 1), dtype === "f64" ? start : wrapColMajor(Float32Array.from(start.data), [states]));
  for (let t = 2; t <= steps; t++) {
    // α_t[u] = logsumexp(α[u], α[u-1], α[u-2] where skipping is allowed) + emit[u, t]
    const shift1 = concat([pad(1), getindex(alpha, [1, states - 1])], { dims: 1 });
    const shift2 = where(skip, concat([pad(2), getindex(alpha, [1, states - 2])], { dims: 1 }), LOG_ZERO);
    const paths = logsumexp(concat([alpha, shift1, shift2], { dims: 2 }), { dims: 2 });
    alpha = add(reshape(paths, [states]), getindex(emit, ":", t));
  }
  // -log(α_T[end] + α_T[end-1])
  return neg(logsumexp(getindex(alpha, [states - 1, states])));
}
