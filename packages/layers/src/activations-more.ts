/**
 * More of NNlib's activation functions (selu, celu, mish, hardtanh, relu6, logσ, hardσ,
 * tanhshrink, softshrink, trelu, lisht), written with graph ops so they trace and differentiate to any
 * order. An exponential sees min(x, 0), so its unused branch never overflows into a NaN gradient.
 */
import { add, div, expm1, greater, greaterEqual, lessEqual, max, min, mul, neg, softplus, sub, tanh, where, type Tensor, type TensorLike } from "@tsflux/graph";
import { setDisplayName } from "./show/names";

const SELU_LAMBDA = 1.0507009873554805;
const SELU_ALPHA = 1.6732632423543772;

/** selu(x) = λ (x > 0 ? x : α(eˣ - 1)), λ ≈ 1.0507, α ≈ 1.6733 (self-normalising). */
export function selu(x: TensorLike): Tensor {
  // d/dx = λ for x > 0, else λ α eˣ
  return mul(where(greater(x, 0), x, mul(expm1(min(x, 0)), SELU_ALPHA)), SELU_LAMBDA);
}

/** celu(x, α = 1) = x ≥ 0 ? x : α(e^(x/α) - 1). */
export function celu(x: TensorLike, alpha = 1): Tensor {
  // d/dx = 1 for x ≥ 0, else e^(x/α)
  return where(greaterEqual(x, 0), x, mul(expm1(div(min(x, 0), alpha)), alpha));
}

/** mish(x) = x tanh(softplus(x)). */
export function mish(x: TensorLike): Tensor {
  // d/dx = tanh(sp) + x (1 - tanh²(sp)) σ(x), by the chain rule
  return mul(x, tanh(softplus(x)));
}

/** hardtanh(x) = clamp(x, -1, 1). */
export function hardtanh(x: TensorLike): Tensor {
  // d/dx = 1 inside (-1, 1), else 0
  return max(min(x, 1), -1);
}

/** relu6(x) = clamp(x, 0, 6). */
export function relu6(x: TensorLike): Tensor {
  // d/dx = 1 inside (0, 6), else 0
  return min(max(x, 0), 6);
}

/** logσ(x) = log(σ(x)) = -softplus(-x), computed stably. */
export function logsigmoid(x: TensorLike): Tensor {
  // d/dx = σ(-x)
  return neg(softplus(neg(x)));
}

/** hardσ(x) = clamp((x + 3) / 6, 0, 1) (NNlib ≥ 0.8, as PyTorch's Hardsigmoid). */
export function hardsigmoid(x: TensorLike): Tensor {
  // d/dx = 1/6 inside (-3, 3), else 0
  return min(max(div(add(x, 3), 6), 0), 1);
}

/** tanhshrink(x) = x - tanh(x). */
export function tanhshrink(x: TensorLike): Tensor {
  // d/dx = tanh²(x)
  return sub(x, tanh(x));
}

/** softshrink(x, λ = 0.5) = min(max(0, x - λ), x + λ). */
export function softshrink(x: TensorLike, lambda = 0.5): Tensor {
  // d/dx = 1 outside [-λ, λ], else 0
  return min(max(sub(x, lambda), 0), add(x, lambda));
}

/** trelu(x, θ = 1) = x > θ ? x : 0 (threshold relu). */
export function trelu(x: TensorLike, theta = 1): Tensor {
  // d/dx = 1 for x > θ, else 0
  return where(lessEqual(x, theta), 0, x);
}

/** lisht(x) = x tanh(x). */
export function lisht(x: TensorLike): Tensor {
  // d/dx = tanh(x) + x (1 - tanh²(x))
  return mul(x, tanh(x));
}

/** Flux's names for printing inside a model. */
export const hardσ = hardsigmoid;
/** Flux's `logσ`: logsigmoid. */
export const logσ = logsigmoid;
/** Flux's `thresholdrelu`: trelu. */
export const thresholdrelu = trelu;
setDisplayName(hardsigmoid, "hardσ");
setDisplayName(logsigmoid, "logσ");
