/** Rprop: steps of a per-element size that grows while the gradient keeps its sign and shrinks when it flips. */
import type { RuleState } from "../rule";
import { stateLike } from "../layout";
import { defineRule } from "./def";
import { pair, rate } from "./fields";

// Captured once: under some realms (Jest's vm contexts) a `Math.f` lookup in a hot loop is not folded,
// and each call then boxes its argument.
const { max, min, sign } = Math;

/**
 * Rprop with initial step `eta` (0.001), scaling factors `ell` ([0.5, 1.2]) and step bounds `gamma`
 * ([1e-6, 50.0]); a full-batch method that uses only the sign of the gradient. The state is the previous
 * gradient (zeroed where the sign flipped) and the per-element step sizes.
 * @example
 * String(Rprop())   // "Rprop(eta=0.001, ell=(0.5, 1.2), gamma=(1.0e-6, 50.0))"
 */
export const Rprop = defineRule({
  kind: "Rprop",
  hyper: [rate("eta", 1e-3), pair("ell", [0.5, 1.2]), pair("gamma", [1e-6, 50.0])],
  coefficients: (h, T) => ({ l1: T(h.ell[0]), l2: T(h.ell[1]), gmin: T(h.gamma[0]), gmax: T(h.gamma[1]) }),
  init: (x, h) => ({ g: stateLike(x), eta: stateLike(x, h.eta) }),
  step({ l1, l2, gmin, gmax }, state, s) {
    const prev = state.g.data, step = state.eta.data, { g, go } = s;
    for (let i = 0; i < s.n; i++) {
      const dx = g[go + i]!, p = prev[i]! * dx;
      // η ← p>0 ? min(η·ℓ₂, Γ₂) : p<0 ? max(η·ℓ₁, Γ₁) : η ;  g ← p<0 ? 0 : dx ;  dx′ = η·sign(g)   (p = g_prev·dx)
      step[i] = p > 0 ? min(step[i]! * l2, gmax) : p < 0 ? max(step[i]! * l1, gmin) : step[i]!;
      prev[i] = p < 0 ? 0 : dx;
      s.put(i, step[i]! * sign(prev[i]!));
    }
  },
});

export type Rprop = ReturnType<typeof Rprop>;
/** The optimiser state of `Rprop`. */
export type RpropState = RuleState<Rprop>;
