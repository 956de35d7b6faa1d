/** OAdam (optimistic Adam): steps twice the new Adam term minus the previous one, for adversarial training. */
import type { RuleState } from "../rule";
import { stateLike } from "../layout";
import { betaPowers } from "./beta-power";
import { defineRule, moments } from "./def";
import { betas, rate, nonneg } from "./fields";

// Captured once: under some realms (Jest's vm contexts) a `Math.f` lookup in a hot loop is not folded,
// and each call then boxes its argument.
const { sqrt } = Math;

/**
 * Optimistic Adam with learning rate `eta` (0.001), `beta` ([0.5, 0.9]) and `epsilon` (1e-8). The state is
 * the moments, the powers (β₁ᵗ, β₂ᵗ), and the previous Adam term.
 * @example
 * String(OAdam())   // "OAdam(eta=0.001, beta=(0.5, 0.9), epsilon=1.0e-8)"
 */
export const OAdam = defineRule({
  kind: "OAdam",
  hyper: [rate("eta", 0.001), betas("beta", [0.5, 0.9]), nonneg("epsilon", 1e-8)],
  coefficients: (h, T) => ({ eta: T(h.eta), eps: T(h.epsilon), ...moments(h.beta, T) }),
  init: (x, h) => ({ mt: stateLike(x), vt: stateLike(x), betat: betaPowers(h.beta, x), term: stateLike(x) }),
  biasCorrection: true,
  step({ eta, eps, b1, b2, a1, a2 }, state, s) {
    const mt = state.mt.data, vt = state.vt.data, term = state.term.data, { g, go, c1, c2 } = s;
    for (let i = 0; i < s.n; i++) {
      const dx = g[go + i]!, prev = term[i]!;
      // m ← β₁m + (1−β₁)g ;  v ← β₂v + (1−β₂)g² ;  term ← η·m/(1−β₁ᵗ) / (√(v/(1−β₂ᵗ)) + ϵ) ;  dx′ = 2·term − term_prev
      mt[i] = b1 * mt[i]! + a1 * dx;
      vt[i] = b2 * vt[i]! + a2 * dx * dx;
      term[i] = (eta * mt[i]!) / c1 / (sqrt(vt[i]! / c2) + eps);
      s.put(i, 2 * term[i]! - prev);
    }
  },
});

export type OAdam = ReturnType<typeof OAdam>;
/** The optimiser state of `OAdam`. */
export type OAdamState = RuleState<OAdam>;
