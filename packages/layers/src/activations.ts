/**
 * NNlib's activation functions, built from graph ops so they run eagerly, trace, and differentiate to
 * any order. Inside a model they print with Flux's names (`σ` for sigmoid).
 */
import {
  add, expm1, greater, greaterEqual, logsoftmax, min, mul, relu, sigmoid, softmax, softplus, tanh, where,
  type Tensor, type TensorLike,
} from "@tsflux/graph";
import { setDisplayName } from "./show/names";

export { relu, sigmoid, softmax, logsoftmax, softplus, tanh };
// activations that are graph ops of their own, offered here as NNlib offers them to Flux (the index exports this whole file)
export { hardswish, softsign } from "@tsflux/graph";

/** A function a layer applies to its output, elementwise or along dims (softmax). */
export type Activation = (x: Tensor) => Tensor;

/** σ: the logistic function 1 / (1 + e⁻ˣ); the same function as `sigmoid`. */
export const σ = sigmoid;
setDisplayName(sigmoid, "σ");

/** x itself: the default activation, which layers leave out when printing. */
export function identity(x: Tensor): Tensor {
  return x;
}

/** x for x > 0, else a·x (NNlib's default slope a = 0.01). */
export function leakyrelu(x: TensorLike, a = 0.01): Tensor {
  // d/dx = 1 for x > 0, else a
  return where(greater(x, 0), x, mul(x, a));
}

/**
 * x for x ≥ 0, else α(eˣ - 1) (NNlib's default α = 1). The exponential sees min(x, 0), so the branch
 * not taken never overflows (an infinite unused branch would turn a zero gradient into NaN).
 */
export function elu(x: TensorLike, alpha = 1): Tensor {
  // d/dx = 1 for x ≥ 0, else α eˣ
  return where(greaterEqual(x, 0), x, mul(expm1(min(x, 0)), alpha));
}

/** √(8/π), the slope inside the tanh approximation of GELU written with σ: tanh(z) = 2σ(2z) - 1. */
const GELU_2LAMBDA = Math.sqrt(8 / Math.PI);
const GELU_ALPHA = 0.044715;

/** GELU, tanh approximation (NNlib's `gelu` = `gelu_tanh`): x σ(√(8/π) x (1 + 0.044715 x²)). */
export function gelu(x: TensorLike): Tensor {
  // derivative by the chain rule through σ: σ(z) + x σ(z)(1 - σ(z)) dz/dx, dz/dx = √(8/π)(1 + 3·0.044715 x²)
  const inner = mul(mul(x, GELU_2LAMBDA), add(mul(mul(x, x), GELU_ALPHA), 1));
  return mul(x, sigmoid(inner));
}

/** Swish (SiLU): x σ(x). */
export function swish(x: TensorLike): Tensor {
  // d/dx = σ(x) + x σ(x)(1 - σ(x))
  return mul(x, sigmoid(x));
}
