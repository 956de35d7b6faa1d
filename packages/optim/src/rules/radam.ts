/** RAdam: Adam with a rectifier on the adaptive step, plain momentum while the variance estimate is poor. */
import type { RuleState } from "../rule";
import { stateLike } from "../layout";
import { betaPowers } from "./beta-power";
import { defineRule, moments } from "./def";
import { betas, rate, nonneg } from "./fields";

// Captured once: under some realms (Jest's vm contexts) a `Math.f` lookup in a hot loop is not folded,
// and each call then boxes its argument.
const { fround, sqrt } = Math;

/**
 * Rectified Adam with learning rate `eta` (0.001), `beta` ([0.9, 0.999]) and `epsilon` (1e-8). The state
 * is the moments, the powers (β₁ᵗ, β₂ᵗ) and the step counter `t` (starting at 1).
 * @example
 * String(RAdam())   // "RAdam(eta=0.001, beta=(0.9, 0.999), epsilon=1.0e-8)"
 */
export const RAdam = defineRule({
  kind: "RAdam",
  hyper: [rate("eta", 0.001), betas("beta", [0.9, 0.999]), nonneg("epsilon", 1e-8)],
  coefficients(h, T) {
    const m = moments(h.beta, T);
    return { eta: T(h.eta), eps: T(h.epsilon), ...m, rhoInf: T(T(2 / m.a2) - 1) };  // ρ∞ = 2/(1−β₂) − 1
  },
  init: (x, h) => ({ mt: stateLike(x), vt: stateLike(x), betat: betaPowers(h.beta, x), t: 1 }),
  biasCorrection: true,
  step({ eta, eps, b1, b2, a1, a2, rhoInf }, state, s) {
    const mt = state.mt.data, vt = state.vt.data, { g, go, c1, c2, f32 } = s;
    // ρ = ρ∞ − 2t·β₂ᵗ/(1−β₂ᵗ) ;  r = √((ρ−4)(ρ−2)ρ∞ / ((ρ∞−4)(ρ∞−2)ρ))
    const rho64 = rhoInf - (2 * state.t * state.betat[1]!) / c2;
    const rho = f32 ? fround(rho64) : rho64;
    const rectified = rho > 4;
    const r64 = rectified ? sqrt(((rho - 4) * (rho - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rho)) : 0;
    const r = f32 ? fround(r64) : r64;
    for (let i = 0; i < s.n; i++) {
      const dx = g[go + i]!;
      // m ← β₁m + (1−β₁)g ;  v ← β₂v + (1−β₂)g² ;  dx′ = ρ>4 ? m/(1−β₁ᵗ) / (√(v/(1−β₂ᵗ)) + ϵ)·η·r : m/(1−β₁ᵗ)·η
      mt[i] = b1 * mt[i]! + a1 * dx;
      vt[i] = b2 * vt[i]! + a2 * dx * dx;
      s.put(i, rectified ? (mt[i]! / c1 / (sqrt(vt[i]! / c2) + eps)) * eta * r : (mt[i]! / c1) * eta);
    }
    state.t += 1;
  },
});

export type RAdam = ReturnType<typeof RAdam>;
/** The optimiser state of `RAdam`. */
export type RAdamState = RuleState<RAdam>;
