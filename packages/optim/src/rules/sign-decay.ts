/** SignDecay: L1 regularisation, adding λ·sign(x) to the gradient. */
import { defineRule } from "./def";
import { nonneg } from "./fields";

// Captured once: under some realms (Jest's vm contexts) a `Math.f` lookup in a hot loop is not folded,
// and each call then boxes its argument.
const { sign } = Math;

/**
 * L1 regularisation of strength `lambda` (1e-3): adds `lambda * sign(x)` to the gradient, which equals
 * adding `lambda * sum(|x|)` to the loss.
 * @example
 * String(SignDecay())   // "SignDecay(lambda=0.001)"
 */
export const SignDecay = defineRule({
  kind: "SignDecay",
  hyper: [nonneg("lambda", 1e-3)],
  coefficients: (h, T) => ({ lambda: T(h.lambda) }),
  step({ lambda }, _, s) {
    const { g, go, x, xo } = s;
    for (let i = 0; i < s.n; i++) s.put(i, g[go + i]! + lambda * sign(x[xo + i]!));  // dx′ = g + λ·sign(x)
  },
});

export type SignDecay = ReturnType<typeof SignDecay>;
