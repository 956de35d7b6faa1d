/** Nesterov: gradient descent with Nesterov momentum. */
import { stateLike } from "../layout";
import { defineRule } from "./def";
import { rate, decay } from "./fields";

/**
 * Gradient descent with learning rate `eta` (default 0.001) and Nesterov momentum `rho` (default 0.9).
 * @example
 * String(Nesterov())   // "Nesterov(eta=0.001, rho=0.9)"
 */
export const Nesterov = defineRule({
  kind: "Nesterov",
  hyper: [rate("eta", 0.001), decay("rho", 0.9)],
  coefficients(h, T) {
    const eta = T(h.eta), rho = T(h.rho);
    return { eta, rho, rho2: T(rho * rho), rhoEta: T(T(1 + rho) * eta) };  // η, ρ, ρ², (1+ρ)·η
  },
  init: (x) => stateLike(x),
  step({ eta, rho, rho2, rhoEta }, velocity, s) {
    const v = velocity.data, { g, go } = s;
    for (let i = 0; i < s.n; i++) {
      const dx = g[go + i]!;
      // dx′ = −ρ²·v + (1+ρ)·η·g  (with the old v) ;  v ← ρ·v − η·g
      const d = -rho2 * v[i]! + rhoEta * dx;
      v[i] = rho * v[i]! - eta * dx;
      s.put(i, d);
    }
  },
});

export type Nesterov = ReturnType<typeof Nesterov>;
