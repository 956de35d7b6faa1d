/** RMSProp, and its centred variant that normalises by an estimate of the gradient's variance. */
import type { RuleState } from "../rule";
import { stateLike } from "../layout";
import { defineRule } from "./def";
import { flag, rate, decay, nonneg } from "./fields";

// Captured once: under some realms (Jest's vm contexts) a `Math.f` lookup in a hot loop is not folded,
// and each call then boxes its argument.
const { sqrt } = Math;

/**
 * RMSProp with learning rate `eta` (0.001), decay `rho` (0.9), `epsilon` (1e-8) and the `centred` option
 * (also spelled `centered`; `adjust` cannot change it). The state is the mean square `quad`, and the mean
 * `lin` when centred (`false` otherwise, as in Optimisers.jl). Prints with the closing parenthesis that
 * Optimisers.jl 0.4.8's `show` leaves out.
 * @example
 * String(RMSProp(0.001, 0.9, 1e-8, { centred: true }))   // "RMSProp(eta=0.001, rho=0.9, epsilon=1.0e-8, centred=true)"
 */
export const RMSProp = defineRule({
  kind: "RMSProp",
  hyper: [rate("eta", 0.001), decay("rho", 0.9), nonneg("epsilon", 1e-8), flag("centred", false, { aliases: ["centered"], fixed: true })],
  coefficients: (h, T) => ({ eta: T(h.eta), rho: T(h.rho), eps: T(h.epsilon), a: T(1 - T(h.rho)) }),
  init: (x, h) => ({ quad: stateLike(x), lin: h.centred ? stateLike(x) : (false as const) }),
  step({ eta, rho, eps, a }, state, s) {
    const quad = state.quad.data, lin = state.lin === false ? null : state.lin.data, { g, go } = s;
    for (let i = 0; i < s.n; i++) {
      const dx = g[go + i]!;
      // q ← ρ·q + (1−ρ)·g² ;  centred: l ← ρ·l + (1−ρ)·g ;  dx′ = g·η / (√(q − l²) + ϵ)
      quad[i] = rho * quad[i]! + a * dx * dx;
      let l = 0;
      if (lin !== null) {
        lin[i] = rho * lin[i]! + a * dx;
        l = lin[i]!;
      }
      s.put(i, (dx * eta) / (sqrt(quad[i]! - l * l) + eps));
    }
  },
});

export type RMSProp = ReturnType<typeof RMSProp>;
/** The optimiser state of `RMSProp`. */
export type RMSPropState = RuleState<RMSProp>;
/** The keyword options of `RMSProp`. */
export type RMSPropOptions = Parameters<typeof RMSProp>[0] & object;
