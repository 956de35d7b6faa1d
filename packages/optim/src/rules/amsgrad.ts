/** AMSGrad: Adam with a running maximum of the second moment, and no bias correction. */
import type { RuleState } from "../rule";
import { stateLike } from "../layout";
import { defineRule, moments } from "./def";
import { betas, rate, nonneg } from "./fields";

// Captured once: under some realms (Jest's vm contexts) a `Math.f` lookup in a hot loop is not folded,
// and each call then boxes its argument.
const { max, sqrt } = Math;

/**
 * AMSGrad with learning rate `eta` (0.001), `beta` ([0.9, 0.999]) and `epsilon` (1e-8). The state is the
 * moments and their running maximum `vhat` (Optimisers.jl's v̂t), all three starting filled with ϵ as
 * Optimisers.jl's `onevalue(ϵ, x)`.
 * @example
 * String(AMSGrad())   // "AMSGrad(eta=0.001, beta=(0.9, 0.999), epsilon=1.0e-8)"
 */
export const AMSGrad = defineRule({
  kind: "AMSGrad",
  hyper: [rate("eta", 0.001), betas("beta", [0.9, 0.999]), nonneg("epsilon", 1e-8)],
  coefficients: (h, T) => ({ eta: T(h.eta), eps: T(h.epsilon), ...moments(h.beta, T) }),
  init: (x, h) => ({ mt: stateLike(x, h.epsilon), vt: stateLike(x, h.epsilon), vhat: stateLike(x, h.epsilon) }),
  step({ eta, eps, b1, b2, a1, a2 }, state, s) {
    const mt = state.mt.data, vt = state.vt.data, vhat = state.vhat.data, { g, go } = s;
    for (let i = 0; i < s.n; i++) {
      const dx = g[go + i]!;
      // m ← β₁m + (1−β₁)g ;  v ← β₂v + (1−β₂)g² ;  v̂ ← max(v̂, v) ;  dx′ = η·m / (√v̂ + ϵ)
      mt[i] = b1 * mt[i]! + a1 * dx;
      vt[i] = b2 * vt[i]! + a2 * dx * dx;
      vhat[i] = max(vhat[i]!, vt[i]!);
      s.put(i, (eta * mt[i]!) / (sqrt(vhat[i]!) + eps));
    }
  },
});

export type AMSGrad = ReturnType<typeof AMSGrad>;
/** The optimiser state of `AMSGrad`. */
export type AMSGradState = RuleState<AMSGrad>;
