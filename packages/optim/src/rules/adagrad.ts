/** AdaGrad: per-element learning rates scaled by the accumulated squared gradients. */
import { stateLike } from "../layout";
import { defineRule } from "./def";
import { rate, nonneg } from "./fields";

// Captured once: under some realms (Jest's vm contexts) a `Math.f` lookup in a hot loop is not folded,
// and each call then boxes its argument.
const { sqrt } = Math;

/**
 * AdaGrad with learning rate `eta` (0.1) and `epsilon` (1e-8). The accumulator starts filled with ϵ, as
 * Optimisers.jl's `onevalue(ϵ, x)`.
 * @example
 * String(AdaGrad())   // "AdaGrad(eta=0.1, epsilon=1.0e-8)"
 */
export const AdaGrad = defineRule({
  kind: "AdaGrad",
  hyper: [rate("eta", 0.1), nonneg("epsilon", 1e-8)],
  coefficients: (h, T) => ({ eta: T(h.eta), eps: T(h.epsilon) }),
  init: (x, h) => stateLike(x, h.epsilon),
  step({ eta, eps }, accumulator, s) {
    const acc = accumulator.data, { g, go } = s;
    for (let i = 0; i < s.n; i++) {
      const dx = g[go + i]!;
      acc[i] = acc[i]! + dx * dx;  // acc ← acc + g² ;  dx′ = g·η / (√acc + ϵ)
      s.put(i, (dx * eta) / (sqrt(acc[i]!) + eps));
    }
  },
});

export type AdaGrad = ReturnType<typeof AdaGrad>;
