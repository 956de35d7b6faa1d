/** Adam, exactly as Optimisers.jl writes it: ϵ outside the square root, bias correction from βt. */
import type { RuleState } from "../rule";
import { betaPowers } from "./beta-power";
import { adamInWasm } from "./adam-wasm";
import { defineRule, moments } from "./def";
import { betas, rate, nonneg } from "./fields";
import { stateLike } from "../layout";

// Captured once: under some realms (Jest's vm contexts) a `Math.f` lookup in a hot loop is not folded,
// and each call then boxes its argument.
const { sqrt } = Math;

/**
 * Adam with learning rate `eta` (0.001), moment decays `beta` ([0.9, 0.999]) and `epsilon` (1e-8), added
 * outside the square root of the bias-corrected second moment.
 * @example
 * String(Adam())   // "Adam(eta=0.001, beta=(0.9, 0.999), epsilon=1.0e-8)"
 */
export const Adam = defineRule({
  kind: "Adam",
  hyper: [rate("eta", 0.001), betas("beta", [0.9, 0.999]), nonneg("epsilon", 1e-8)],
  coefficients: (h, T) => ({ eta: T(h.eta), eps: T(h.epsilon), ...moments(h.beta, T) }),
  init: (x, h) => ({ mt: stateLike(x), vt: stateLike(x), betat: betaPowers(h.beta, x) }),
  biasCorrection: true,
  step(k, state, s) {
    const mt = state.mt.data, vt = state.vt.data, { g, go, c1, c2 } = s, { eta, eps, b1, b2, a1, a2 } = k;
    if (adamInWasm(k, mt, vt, s)) return;
    for (let i = 0; i < s.n; i++) {
      const dx = g[go + i]!;
      // m ← β₁m + (1−β₁)g ;  v ← β₂v + (1−β₂)g² ;  dx′ = m/(1−β₁ᵗ) / (√(v/(1−β₂ᵗ)) + ϵ) · η
      mt[i] = b1 * mt[i]! + a1 * dx;
      vt[i] = b2 * vt[i]! + a2 * dx * dx;
      s.put(i, (mt[i]! / c1 / (sqrt(vt[i]! / c2) + eps)) * eta);
    }
  },
});

export type Adam = ReturnType<typeof Adam>;
/** First and second moments, and the bias-correction powers (β₁ᵗ, β₂ᵗ). */
export type AdamState = RuleState<Adam>;
