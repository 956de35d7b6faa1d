/**
 * More of Flux's losses (`Flux.Losses`), with the formulas of Flux's code (where its docstrings
 * differ, the code wins): focal, binary focal, Dice, Tversky, hinge, squared hinge, Poisson and
 * siamese contrastive losses. Graph ops throughout, so each differentiates to any order.
 */
import { add, log, max, mul, pow, sub, sum, type Tensor, type TensorLike } from "@tsflux/graph";
import { aggregate, machineEpsilon, operands, xlogy, type DimsLossOptions, type EpsLossOptions, type LossOptions } from "./losses";
import { ArgumentError } from "./errors";

/** Options of the focal losses: dims, epsilon and the focusing exponent. */
export interface FocalOptions extends DimsLossOptions, EpsLossOptions {
  /** The focusing exponent γ (default 2). */
  gamma?: number;
}

/** Focal loss of probabilities ŷ: agg(Σ_dims -y (1 - ŷϵ)^γ log(ŷϵ)), ŷϵ = ŷ + ϵ (Flux's `focal_loss`). */
export function focalLoss(yhat: TensorLike, y: TensorLike, opts: FocalOptions = {}): Tensor {
  const [p, t] = operands("focalLoss", yhat, y);
  const pe = add(p, opts.eps ?? machineEpsilon(p.dtype));
  // ∂/∂ŷ of each term: y (γ(1-ŷϵ)^(γ-1) log ŷϵ - (1-ŷϵ)^γ / ŷϵ)
  const terms = mul(mul(t, pow(sub(1, pe), opts.gamma ?? 2)), log(pe));
  return aggregate(opts)(sum(mul(terms, -1), { dims: opts.dims ?? 1 }));
}

/** Binary focal loss: agg((1 - pₜ)^γ (-log pₜ)), pₜ = y ŷϵ + (1 - y)(1 - ŷϵ), ŷϵ = ŷ + ϵ (Flux's `binary_focal_loss`). */
export function binaryFocalLoss(yhat: TensorLike, y: TensorLike, opts: Omit<FocalOptions, "dims"> = {}): Tensor {
  const [p, t] = operands("binaryFocalLoss", yhat, y);
  const pe = add(p, opts.eps ?? machineEpsilon(p.dtype));
  const pt = add(mul(t, pe), mul(sub(1, t), sub(1, pe)));
  // ∂/∂pₜ of each term: γ(1-pₜ)^(γ-1) log pₜ - (1-pₜ)^γ / pₜ
  return aggregate(opts)(mul(pow(sub(1, pt), opts.gamma ?? 2), mul(log(pt), -1)));
}

/** Dice coefficient loss: 1 - (2 Σ y ŷ + s) / (Σ y² + Σ ŷ² + s), over all elements (Flux's `dice_coeff_loss`; no agg). */
export function diceCoeffLoss(yhat: TensorLike, y: TensorLike, opts: { smooth?: number } = {}): Tensor {
  const [p, t] = operands("diceCoeffLoss", yhat, y);
  const s = opts.smooth ?? 1;
  // ∂/∂ŷ: -(2y (den) - 2ŷ (num)) / den²
  const num = add(mul(sum(mul(t, p)), 2), s), den = add(add(sum(mul(t, t)), sum(mul(p, p))), s);
  return sub(1, mul(num, pow(den, -1)));
}

/**
 * Tversky loss: 1 - (Σ yŷ + 1) / (Σ (yŷ + β(1 - y)ŷ + (1 - β)y(1 - ŷ)) + 1), over all elements; β
 * weighs false positives, as in Flux's code (`tversky_loss`; no agg).
 */
export function tverskyLoss(yhat: TensorLike, y: TensorLike, opts: { beta?: number } = {}): Tensor {
  const [p, t] = operands("tverskyLoss", yhat, y);
  const beta = opts.beta ?? 0.7;
  const tp = mul(t, p), fp = mul(mul(sub(1, t), p), beta), fn = mul(mul(t, sub(1, p)), 1 - beta);
  // ∂/∂ŷ by the quotient rule of (Σ tp + 1) / (Σ (tp + fp + fn) + 1)
  return sub(1, mul(add(sum(tp), 1), pow(add(sum(add(add(tp, fp), fn)), 1), -1)));
}

/** Hinge loss for labels y ∈ {-1, 1}: agg(max(0, 1 - ŷ y)). */
export function hingeLoss(yhat: TensorLike, y: TensorLike, opts: LossOptions = {}): Tensor {
  const [p, t] = operands("hingeLoss", yhat, y);
  // ∂/∂ŷ of each term: -y where ŷ y < 1, else 0
  return aggregate(opts)(max(sub(1, mul(p, t)), 0));
}

/** Squared hinge loss: agg(max(0, 1 - ŷ y)²). */
export function squaredHingeLoss(yhat: TensorLike, y: TensorLike, opts: LossOptions = {}): Tensor {
  const [p, t] = operands("squaredHingeLoss", yhat, y);
  const h = max(sub(1, mul(p, t)), 0);
  // ∂/∂ŷ of each term: -2y max(0, 1 - ŷ y)
  return aggregate(opts)(mul(h, h));
}

/** Poisson loss: agg(ŷ - xlogy(y, ŷ)). */
export function poissonLoss(yhat: TensorLike, y: TensorLike, opts: LossOptions = {}): Tensor {
  const [p, t] = operands("poissonLoss", yhat, y);
  // ∂/∂ŷ of each term: 1 - y/ŷ
  return aggregate(opts)(sub(p, xlogy(t, p)));
}

/** Siamese contrastive loss: agg((1 - y) ŷ² + y max(0, margin - ŷ)²); y = 0 marks a similar pair. */
export function siamesecontrastiveLoss(yhat: TensorLike, y: TensorLike, opts: LossOptions & { margin?: number } = {}): Tensor {
  const [p, t] = operands("siamesecontrastiveLoss", yhat, y);
  const margin = opts.margin ?? 1;
  if (margin < 0) throw new ArgumentError(`siamesecontrastiveLoss: the margin must be non-negative, got ${margin}`);
  const gap = max(sub(margin, p), 0);
  // ∂/∂ŷ of each term: 2(1 - y)ŷ - 2y max(0, margin - ŷ)
  return aggregate(opts)(add(mul(sub(1, t), mul(p, p)), mul(t, mul(gap, gap))));
}
