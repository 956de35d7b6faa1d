/** Descent: classic gradient descent, `x -= η·g`. */
import { defineRule } from "./def";
import { rate } from "./fields";

/**
 * Gradient descent with learning rate `eta` (default 0.1): each step runs `x -= eta * g`.
 * @example
 * String(Descent(0.1))   // "Descent(0.1)"
 */
export const Descent = defineRule({
  kind: "Descent",
  hyper: [rate("eta", 0.1)],
  coefficients: (h, T) => ({ eta: T(h.eta) }),
  printPositional: true,
  step({ eta }, _, s) {
    const { g, go } = s;
    for (let i = 0; i < s.n; i++) s.put(i, g[go + i]! * eta);  // dx′ = g·η
  },
});

export type Descent = ReturnType<typeof Descent>;
