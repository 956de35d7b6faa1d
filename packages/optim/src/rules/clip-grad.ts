/** ClipGrad: clamps every gradient component to [−δ, δ]. */
import { defineRule } from "./def";
import { nonneg } from "./fields";

/**
 * Clamps each gradient component to `[-delta, delta]` (delta 10.0); usually the first member of an
 * OptimiserChain.
 * @example
 * String(ClipGrad(1))   // "ClipGrad(delta=1.0)"
 */
export const ClipGrad = defineRule({
  kind: "ClipGrad",
  hyper: [nonneg("delta", 10.0)],
  coefficients: (h, T) => ({ delta: T(h.delta) }),
  step({ delta }, _, s) {
    const { g, go } = s;
    for (let i = 0; i < s.n; i++) {
      const dx = g[go + i]!;
      s.put(i, dx > delta ? delta : dx < -delta ? -delta : dx);  // dx′ = clamp(g, −δ, δ)   (NaN stays NaN, as Julia's clamp)
    }
  },
});

export type ClipGrad = ReturnType<typeof ClipGrad>;
