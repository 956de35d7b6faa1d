/** AdaDelta: AdaGrad with a decaying window, and no learning rate. */
import type { RuleState } from "../rule";
import { stateLike } from "../layout";
import { defineRule } from "./def";
import { decay, nonneg } from "./fields";

// Captured once: under some realms (Jest's vm contexts) a `Math.f` lookup in a hot loop is not folded,
// and each call then boxes its argument.
const { fround, sqrt } = Math;

/**
 * AdaDelta with decay `rho` (0.9) and `epsilon` (1e-8); it has no learning rate, so `adjust(state, eta)`
 * leaves it unchanged. The state is the running mean squares of the gradients (`acc`) and of the steps
 * (`dacc`, Optimisers.jl's Δacc).
 * @example
 * String(AdaDelta())   // "AdaDelta(rho=0.9, epsilon=1.0e-8)"
 */
export const AdaDelta = defineRule({
  kind: "AdaDelta",
  hyper: [decay("rho", 0.9), nonneg("epsilon", 1e-8)],
  coefficients: (h, T) => ({ rho: T(h.rho), eps: T(h.epsilon), a: T(1 - T(h.rho)) }),
  init: (x) => ({ acc: stateLike(x), dacc: stateLike(x) }),
  step({ rho, eps, a }, state, s) {
    const acc = state.acc.data, dacc = state.dacc.data, { g, go, f32 } = s;
    for (let i = 0; i < s.n; i++) {
      const dx = g[go + i]!;
      // acc ← ρ·acc + (1−ρ)·g² ;  dx′ = g·√(Δacc + ϵ) / √(acc + ϵ) (old Δacc) ;  Δacc ← ρ·Δacc + (1−ρ)·dx′²
      acc[i] = rho * acc[i]! + a * dx * dx;
      const d64 = (dx * sqrt(dacc[i]! + eps)) / sqrt(acc[i]! + eps);
      const d = f32 ? fround(d64) : d64;
      dacc[i] = rho * dacc[i]! + a * d * d;
      s.put(i, d);
    }
  },
});

export type AdaDelta = ReturnType<typeof AdaDelta>;
/** The optimiser state of `AdaDelta`. */
export type AdaDeltaState = RuleState<AdaDelta>;
