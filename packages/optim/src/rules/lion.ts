/** Lion: the sign of an interpolation between the gradient and its momentum, in Optimisers.jl's order. */
import { stateLike } from "../layout";
import { defineRule } from "./def";
import { betas, rate } from "./fields";

// Captured once: under some realms (Jest's vm contexts) a `Math.f` lookup in a hot loop is not folded,
// and each call then boxes its argument.
const { sign } = Math;

/**
 * Lion with learning rate `eta` (0.001) and `beta` ([0.9, 0.999]). The momentum update follows
 * Optimisers.jl's code (`m ← β₂g + (1−β₂)m`), not the paper's.
 * @example
 * String(Lion())   // "Lion(eta=0.001, beta=(0.9, 0.999))"
 */
export const Lion = defineRule({
  kind: "Lion",
  hyper: [rate("eta", 0.001), betas("beta", [0.9, 0.999])],
  coefficients(h, T) {
    const b1 = T(h.beta[0]), b2 = T(h.beta[1]);
    return { eta: T(h.eta), b1, b2, a2: T(1 - b2), b21: T(b2 - b1) };  // η, β₁, β₂, 1−β₂, β₂−β₁
  },
  init: (x) => stateLike(x),
  step({ eta, b1, b2, a2, b21 }, momentum, s) {
    const m = momentum.data, { g, go } = s;
    for (let i = 0; i < s.n; i++) {
      const dx = g[go + i]!;
      // m ← β₂·g + (1−β₂)·m  (Optimisers.jl's code) ;  dx′ = η·sign((β₂−β₁)·g + β₁·m)  (new m)
      m[i] = b2 * dx + a2 * m[i]!;
      s.put(i, eta * sign(b21 * dx + b1 * m[i]!));
    }
  },
});

export type Lion = ReturnType<typeof Lion>;
