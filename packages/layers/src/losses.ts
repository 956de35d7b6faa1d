/**
 * Flux's loss functions (`Flux.Losses`) with Flux's defaults: `agg = mean`, `dims = 1` (the class dim),
 * `eps = eps(eltype(ŷ))` added inside logarithms. All are graph ops, so they differentiate (to any
 * order) and work eagerly and while tracing. The logit forms stay finite for extreme logits.
 */
import {
  GraphError, ShapeError, Tensor, add, abs, abs2, astype, equal, full, isNdarray, less, log, logsoftmax, mean, mul, neg,
  softplus, sub, sum, where, type DType, type TensorLike,
} from "@tsflux/graph";
import { sizeStr } from "./arrays";

/** Reduces the elementwise losses (default `mean`; `sum`, or `(x) => x` for none). */
export type Aggregate = (x: Tensor) => Tensor;

/** Options every loss takes: how the per-element losses are aggregated. */
export interface LossOptions {
  agg?: Aggregate;
}

/** Options of the losses that sum over class dims. */
export interface DimsLossOptions extends LossOptions {
  /** The class dims the sum runs over (1-based, default 1). */
  dims?: number | readonly number[];
}

/** Options of the losses that take logarithms. */
export interface EpsLossOptions extends LossOptions {
  /** Added inside the logarithms (default: the machine epsilon of ŷ's type, 2⁻²³ for Float32). */
  eps?: number;
}

/** Options of `crossentropy`: class dims, epsilon and aggregation. */
export type CrossentropyOptions = DimsLossOptions & EpsLossOptions;

/** Options of `huberLoss`: where it turns linear, and aggregation. */
export interface HuberOptions extends LossOptions {
  /** Where the loss turns from quadratic to linear (default 1). */
  delta?: number;
}

/** Julia's eps(T): 2⁻²³ for Float32, 2⁻⁵² for Float64. */
export function machineEpsilon(dtype: DType): number {
  return dtype === "f64" ? 2 ** -52 : 2 ** -23;
}

/**
 * Flux's `_check_sizes`: ŷ and y must have equal sizes (trailing size-1 dims aside); a number y is a
 * constant label. Integer and Bool labels are converted to ŷ's type.
 */
export function operands(loss: string, prediction: TensorLike, label: TensorLike): [Tensor, Tensor] {
  if (!(prediction instanceof Tensor) && !isNdarray(prediction)) throw new GraphError(`${loss}: the prediction ŷ must be a Tensor or an ndarray, got ${typeof prediction}`);
  const yhat = prediction instanceof Tensor ? prediction : Tensor.concrete(prediction);
  if (typeof label === "number") return [yhat, full(label, [], yhat.dtype)];
  const y = label instanceof Tensor ? label : Tensor.concrete(label);
  const rank = Math.max(yhat.shape.length, y.shape.length);
  for (let d = 0; d < rank; d++) {
    if ((yhat.shape[d] ?? 1) !== (y.shape[d] ?? 1)) {
      throw new ShapeError(`${loss}: expected size(ŷ) = ${sizeStr(yhat.shape)} to match size(y) = ${sizeStr(y.shape)}`);
    }
  }
  return [yhat, y.dtype === "i32" || y.dtype === "bool" ? astype(y, yhat.dtype) : y];
}

export const aggregate = (opts: LossOptions): Aggregate => opts.agg ?? mean;

/**
 * x·log(y), and exactly 0 where x = 0 (even where y = 0). The logarithm sees 1 at those places, so
 * neither its value nor its derivative 1/y can turn the masked branch into NaN.
 */
export function xlogy(x: Tensor, y: Tensor): Tensor {
  const zero = equal(x, 0);
  // ∂/∂x = log(y), ∂/∂y = x/y, both 0 where x = 0
  return where(zero, 0, mul(x, log(where(zero, 1, y))));
}

/**
 * Mean squared error: agg((ŷ - y)²).
 *
 * @example
 * Number(mse(ndarray(new Float32Array([1, 2, 3])), ndarray(new Float32Array([0, 2, 5]))));  // 5 / 3
 * Number(mse(ŷ, y, { agg: sum }));  // 5
 */
export function mse(yhat: TensorLike, y: TensorLike, opts: LossOptions = {}): Tensor {
  const [p, t] = operands("mse", yhat, y);
  // ∂/∂ŷ of each term: 2(ŷ - y)
  return aggregate(opts)(abs2(sub(p, t)));
}

/** Mean absolute error: agg(|ŷ - y|). */
export function mae(yhat: TensorLike, y: TensorLike, opts: LossOptions = {}): Tensor {
  const [p, t] = operands("mae", yhat, y);
  // ∂/∂ŷ of each term: sign(ŷ - y)
  return aggregate(opts)(abs(sub(p, t)));
}

/** Huber loss: ½e² where |e| < δ, else δ(|e| - ½δ), with e = ŷ - y (Flux's `huber_loss`). */
export function huberLoss(yhat: TensorLike, y: TensorLike, opts: HuberOptions = {}): Tensor {
  const [p, t] = operands("huberLoss", yhat, y);
  const delta = opts.delta ?? 1;
  const error = sub(p, t), absError = abs(error);
  // ∂/∂e: e inside the band, δ·sign(e) outside
  const quadratic = mul(abs2(error), 0.5), linear = mul(sub(absError, 0.5 * delta), delta);
  return aggregate(opts)(where(less(absError, delta), quadratic, linear));
}

/** Cross entropy of probabilities ŷ against labels y: agg(-Σ_dims y log(ŷ + ϵ)). */
export function crossentropy(yhat: TensorLike, y: TensorLike, opts: CrossentropyOptions = {}): Tensor {
  const [p, t] = operands("crossentropy", yhat, y);
  const eps = opts.eps ?? machineEpsilon(p.dtype);
  // ∂/∂ŷ of each term: -y / (ŷ + ϵ)
  return aggregate(opts)(neg(sum(xlogy(t, add(p, eps)), { dims: opts.dims ?? 1 })));
}

/**
 * Cross entropy of logits: agg(-Σ_dims y logsoftmax(ŷ)), stable for any finite logits.
 *
 * @example
 * Number(logitcrossentropy(ndarray(new Float32Array([1000, -1000]), [2, 1]), ndarray(new Float32Array([0, 1]), [2, 1])));  // 2000
 */
export function logitcrossentropy(yhat: TensorLike, y: TensorLike, opts: DimsLossOptions = {}): Tensor {
  const [p, t] = operands("logitcrossentropy", yhat, y);
  const dims = opts.dims ?? 1;
  // ∂/∂ŷ per column: softmax(ŷ)·Σy - y
  return aggregate(opts)(neg(sum(mul(t, logsoftmax(p, { dims })), { dims })));
}

/** Binary cross entropy of probabilities: agg(-y log(ŷ + ϵ) - (1 - y) log(1 - ŷ + ϵ)). */
export function binarycrossentropy(yhat: TensorLike, y: TensorLike, opts: EpsLossOptions = {}): Tensor {
  const [p, t] = operands("binarycrossentropy", yhat, y);
  const eps = opts.eps ?? machineEpsilon(p.dtype);
  // ∂/∂ŷ of each term: -y / (ŷ + ϵ) + (1 - y) / (1 - ŷ + ϵ)
  const terms = sub(neg(xlogy(t, add(p, eps))), xlogy(sub(1, t), add(sub(1, p), eps)));
  return aggregate(opts)(terms);
}

/** Binary cross entropy of logits: agg((1 - y) ŷ - logσ(ŷ)), with logσ(ŷ) = -softplus(-ŷ), stable for any logits. */
export function logitbinarycrossentropy(yhat: TensorLike, y: TensorLike, opts: LossOptions = {}): Tensor {
  const [p, t] = operands("logitbinarycrossentropy", yhat, y);
  // ∂/∂ŷ of each term: σ(ŷ) - y
  return aggregate(opts)(add(mul(sub(1, t), p), softplus(neg(p))));
}

/** Kullback-Leibler divergence of y from ŷ: agg(Σ_dims y log y) + crossentropy(ŷ, y). */
export function kldivergence(yhat: TensorLike, y: TensorLike, opts: CrossentropyOptions = {}): Tensor {
  const [p, t] = operands("kldivergence", yhat, y);
  const entropy = aggregate(opts)(sum(xlogy(t, t), { dims: opts.dims ?? 1 }));
  return add(entropy, crossentropy(p, t, opts));
}
