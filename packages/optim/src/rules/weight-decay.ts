/** WeightDecay: L2 regularisation, adding λ·x to the gradient (put it first in an OptimiserChain). */
import { defineRule } from "./def";
import { nonneg } from "./fields";

/**
 * L2 regularisation of strength `lambda` (5e-4): adds `lambda * x` to the gradient, which equals adding
 * `lambda/2 * sum(x²)` to the loss. `adjust` also accepts the deprecated name `gamma`, with Optimisers.jl's
 * warning.
 * @example
 * String(WeightDecay())   // "WeightDecay(lambda=0.0005)"
 */
export const WeightDecay = defineRule({
  kind: "WeightDecay",
  hyper: [nonneg("lambda", 5e-4)],
  coefficients: (h, T) => ({ lambda: T(h.lambda) }),
  renamed: { gamma: { to: "lambda", warning: "The strength of WeightDecay is now field :lambda, not :gamma" } },
  step({ lambda }, _, s) {
    const { g, go, x, xo } = s;
    for (let i = 0; i < s.n; i++) s.put(i, g[go + i]! + lambda * x[xo + i]!);  // dx′ = g + λ·x
  },
});

export type WeightDecay = ReturnType<typeof WeightDecay>;
