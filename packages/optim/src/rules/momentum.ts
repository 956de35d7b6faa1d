/** Momentum: gradient descent with a velocity that accumulates past steps. */
import { stateLike } from "../layout";
import { defineRule } from "./def";
import { rate, decay } from "./fields";

/**
 * Gradient descent with learning rate `eta` (default 0.01) and momentum `rho` (default 0.9).
 * @example
 * String(Momentum())   // "Momentum(eta=0.01, rho=0.9)"
 */
export const Momentum = defineRule({
  kind: "Momentum",
  hyper: [rate("eta", 0.01), decay("rho", 0.9)],
  coefficients: (h, T) => ({ eta: T(h.eta), rho: T(h.rho) }),
  init: (x) => stateLike(x),
  step({ eta, rho }, velocity, s) {
    const v = velocity.data, { g, go } = s;
    for (let i = 0; i < s.n; i++) {
      v[i] = rho * v[i]! + eta * g[go + i]!;  // v ← ρ·v + η·g ;  dx′ = v
      s.put(i, v[i]!);
    }
  },
});

export type Momentum = ReturnType<typeof Momentum>;
