/** AdaBelief: Adam whose second moment tracks the deviation of the gradient from its mean. */
import type { RuleState } from "../rule";
import { stateLike } from "../layout";
import { betaPowers } from "./beta-power";
import { defineRule, moments } from "./def";
import { betas, rate, nonneg } from "./fields";

// Captured once: under some realms (Jest's vm contexts) a `Math.f` lookup in a hot loop is not folded,
// and each call then boxes its argument.
const { sqrt } = Math;

/**
 * AdaBelief with learning rate `eta` (0.001), `beta` ([0.9, 0.999]) and `epsilon` (1e-16). The state is
 * the first moment, the "belief" `st` in the gradient, and the powers (β₁ᵗ, β₂ᵗ).
 * @example
 * String(AdaBelief())   // "AdaBelief(eta=0.001, beta=(0.9, 0.999), epsilon=1.0e-16)"
 */
export const AdaBelief = defineRule({
  kind: "AdaBelief",
  hyper: [rate("eta", 0.001), betas("beta", [0.9, 0.999]), nonneg("epsilon", 1e-16)],
  coefficients: (h, T) => ({ eta: T(h.eta), eps: T(h.epsilon), ...moments(h.beta, T) }),
  init: (x, h) => ({ mt: stateLike(x), st: stateLike(x), betat: betaPowers(h.beta, x) }),
  biasCorrection: true,
  step({ eta, eps, b1, b2, a1, a2 }, state, s) {
    const mt = state.mt.data, st = state.st.data, { g, go, c1, c2 } = s;
    for (let i = 0; i < s.n; i++) {
      const dx = g[go + i]!;
      // m ← β₁m + (1−β₁)g ;  s ← β₂s + (1−β₂)(g − m)² + ϵ (new m) ;  dx′ = η·m/(1−β₁ᵗ) / (√(s/(1−β₂ᵗ)) + ϵ)
      mt[i] = b1 * mt[i]! + a1 * dx;
      const dev = dx - mt[i]!;
      st[i] = b2 * st[i]! + a2 * dev * dev + eps;
      s.put(i, (eta * mt[i]!) / c1 / (sqrt(st[i]! / c2) + eps));
    }
  },
});

export type AdaBelief = ReturnType<typeof AdaBelief>;
/** The optimiser state of `AdaBelief`. */
export type AdaBeliefState = RuleState<AdaBelief>;
