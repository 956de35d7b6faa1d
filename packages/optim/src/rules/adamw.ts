/** AdamW: Adam (with η = 1) plus weight decay, coupled to the learning rate as in PyTorch by default. */
import { stateLike } from "../layout";
import { betaPowers } from "./beta-power";
import { defineRule, moments } from "./def";
import { betas, flag, rate, nonneg } from "./fields";

// Captured once: under some realms (Jest's vm contexts) a `Math.f` lookup in a hot loop is not folded,
// and each call then boxes its argument.
const { sqrt } = Math;

/**
 * AdamW with learning rate `eta` (0.001), `beta` ([0.9, 0.999]), weight decay `lambda` (0), `epsilon`
 * (1e-8) and the `couple` option (true): couple the weight decay to the learning rate (`x -= η(d + λx)`)
 * or not (`x -= ηd + λx`).
 * @example
 * String(AdamW())   // "AdamW(eta=0.001, beta=(0.9, 0.999), lambda=0.0, epsilon=1.0e-8, couple=true)"
 */
export const AdamW = defineRule({
  kind: "AdamW",
  hyper: [rate("eta", 0.001), betas("beta", [0.9, 0.999]), nonneg("lambda", 0.0), nonneg("epsilon", 1e-8), flag("couple", true)],
  coefficients: (h, T) => ({ eta: T(h.eta), eps: T(h.epsilon), lambda: T(h.lambda), couple: h.couple, ...moments(h.beta, T) }),
  init: (x, h) => ({ mt: stateLike(x), vt: stateLike(x), betat: betaPowers(h.beta, x) }),
  biasCorrection: true,
  step({ eta, eps, lambda, couple, b1, b2, a1, a2 }, state, s) {
    const mt = state.mt.data, vt = state.vt.data, { g, go, x, xo, c1, c2 } = s;
    for (let i = 0; i < s.n; i++) {
      const dx = g[go + i]!, xi = x[xo + i]!;
      // m ← β₁m + (1−β₁)g ;  v ← β₂v + (1−β₂)g² ;  a = m/(1−β₁ᵗ) / (√(v/(1−β₂ᵗ)) + ϵ) ;  dx′ = couple ? η(a + λx) : ηa + λx
      mt[i] = b1 * mt[i]! + a1 * dx;
      vt[i] = b2 * vt[i]! + a2 * dx * dx;
      const adam = mt[i]! / c1 / (sqrt(vt[i]! / c2) + eps);
      s.put(i, couple ? eta * (adam + lambda * xi) : eta * adam + lambda * xi);
    }
  },
});

export type AdamW = ReturnType<typeof AdamW>;
/** The keyword options of `AdamW`. */
export type AdamWOptions = Parameters<typeof AdamW>[0] & object;
