/** NAdam: Adam with Nesterov momentum. */
import { stateLike } from "../layout";
import { betaPowers } from "./beta-power";
import { defineRule, moments } from "./def";
import { betas, rate, nonneg } from "./fields";

// Captured once: under some realms (Jest's vm contexts) a `Math.f` lookup in a hot loop is not folded,
// and each call then boxes its argument.
const { fround, sqrt } = Math;

/**
 * NAdam with learning rate `eta` (0.001), `beta` ([0.9, 0.999]) and `epsilon` (1e-8).
 * @example
 * String(NAdam())   // "NAdam(eta=0.001, beta=(0.9, 0.999), epsilon=1.0e-8)"
 */
export const NAdam = defineRule({
  kind: "NAdam",
  hyper: [rate("eta", 0.001), betas("beta", [0.9, 0.999]), nonneg("epsilon", 1e-8)],
  coefficients: (h, T) => ({ eta: T(h.eta), eps: T(h.epsilon), ...moments(h.beta, T) }),
  init: (x, h) => ({ mt: stateLike(x), vt: stateLike(x), betat: betaPowers(h.beta, x) }),
  biasCorrection: true,
  step({ eta, eps, b1, b2, a1, a2 }, state, s) {
    const mt = state.mt.data, vt = state.vt.data, { g, go, c1, c2 } = s;
    const cm = s.f32 ? fround(1 - fround(b1 * state.betat[0]!)) : 1 - b1 * state.betat[0]!;  // 1 − β₁·β₁ᵗ
    for (let i = 0; i < s.n; i++) {
      const dx = g[go + i]!;
      // m ← β₁m + (1−β₁)g ;  v ← β₂v + (1−β₂)g² ;  dx′ = (β₁m/(1−β₁·β₁ᵗ) + (1−β₁)g/(1−β₁ᵗ)) / (√(v·β₂/(1−β₂ᵗ)) + ϵ) · η
      mt[i] = b1 * mt[i]! + a1 * dx;
      vt[i] = b2 * vt[i]! + a2 * dx * dx;
      s.put(i, (((b1 * mt[i]!) / cm + (a1 * dx) / c1) / (sqrt((vt[i]! * b2) / c2) + eps)) * eta);
    }
  },
});

export type NAdam = ReturnType<typeof NAdam>;
