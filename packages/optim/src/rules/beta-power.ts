/**
 * The per-Leaf bias-correction powers (β₁ᵗ, β₂ᵗ) of the Adam family, Optimisers.jl's `βt`: a two-element
 * array of the parameter's element type (so each product is rounded as Julia's Float32 arithmetic rounds
 * it). `init` stores T.(β); `defineRule`'s `biasCorrection` multiplies it by β after every step.
 */
import { longLivedZeros, type FloatArray, type NdArray } from "@tsflux/graph";
import { floatKind } from "../layout";
import type { Pair } from "./fields";

/** A new (β₁, β₂) power pair in the element type of parameter `x`. */
export function betaPowers(beta: Pair, x: NdArray): FloatArray {
  const bt = longLivedZeros([2], floatKind(x)).data as FloatArray;
  bt[0] = beta[0];
  bt[1] = beta[1];
  return bt;
}
