/** AdaMax: Adam with the infinity norm in place of the second moment. */
import type { RuleState } from "../rule";
import { stateLike } from "../layout";
import { betaPowers } from "./beta-power";
import { defineRule, moments } from "./def";
import { betas, rate, nonneg } from "./fields";

// Captured once: under some realms (Jest's vm contexts) a `Math.f` lookup in a hot loop is not folded,
// and each call then boxes its argument.
const { abs, fround, max } = Math;

/**
 * AdaMax with learning rate `eta` (0.001), `beta` ([0.9, 0.999]) and `epsilon` (1e-8). The state is the
 * first moment, the exponentially weighted infinity norm `ut`, and the powers (β₁ᵗ, β₂ᵗ).
 * @example
 * String(AdaMax())   // "AdaMax(eta=0.001, beta=(0.9, 0.999), epsilon=1.0e-8)"
 */
export const AdaMax = defineRule({
  kind: "AdaMax",
  hyper: [rate("eta", 0.001), betas("beta", [0.9, 0.999]), nonneg("epsilon", 1e-8)],
  coefficients: (h, T) => ({ eta: T(h.eta), eps: T(h.epsilon), ...moments(h.beta, T) }),
  init: (x, h) => ({ mt: stateLike(x), ut: stateLike(x), betat: betaPowers(h.beta, x) }),
  biasCorrection: true,
  step({ eta, eps, b1, b2, a1 }, state, s) {
    const mt = state.mt.data, ut = state.ut.data, { g, go, c1 } = s;
    const scale = s.f32 ? fround(eta / c1) : eta / c1;
    for (let i = 0; i < s.n; i++) {
      const dx = g[go + i]!;
      // m ← β₁m + (1−β₁)g ;  u ← max(β₂u, |g|) ;  dx′ = (η/(1−β₁ᵗ))·m/(u + ϵ)
      mt[i] = b1 * mt[i]! + a1 * dx;
      ut[i] = max(b2 * ut[i]!, abs(dx));
      s.put(i, (scale * mt[i]!) / (ut[i]! + eps));
    }
  },
});

export type AdaMax = ReturnType<typeof AdaMax>;
/** The optimiser state of `AdaMax`. */
export type AdaMaxState = RuleState<AdaMax>;
