/**
 * The per-Leaf bias-correction powers (β₁ᵗ, β₂ᵗ) of the Adam family, kept in place in a two-element array
 * of the parameter's element type (so each product is rounded as Julia's Float32 arithmetic rounds it):
 * `init` stores T.(β), and each step multiplies by β, so at step t it holds (β₁ᵗ, β₂ᵗ) (Optimisers.jl's `βt`).
 */
import { longLivedZeros, type FloatArray } from "@tsflux/graph";
import type { Pair } from "./def";

/** A new (β₁, β₂) power pair in the parameter's element type. */
export function betaPowers(beta: Pair, f32: boolean): FloatArray {
  const bt = longLivedZeros([2], f32 ? "f32" : "f64").data as FloatArray;
  bt[0] = beta[0];
  bt[1] = beta[1];
  return bt;
}

/** βt ← βt .* β, with β₁ and β₂ read from `k[1]` and `k[2]` (the Adam family's coefficient layout). */
export function advancePowers(bt: FloatArray, k: FloatArray): void {
  bt[0] = bt[0]! * k[1]!;
  bt[1] = bt[1]! * k[2]!;
}
