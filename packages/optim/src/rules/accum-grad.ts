/** AccumGrad: accumulates the mean of n gradients, and steps only on every n-th call. */
import type { RuleState } from "../rule";
import { stateLike } from "../layout";
import { defineRule } from "./def";
import { count } from "./fields";

/**
 * Accumulates `n` gradients and applies their mean on every n-th update (no step in between); used as
 * `OptimiserChain(AccumGrad(n), rule)` for an effective batch n times larger. The state is the running
 * mean of the gradients so far, and which of the n calls comes next (1-based).
 * @example
 * String(AccumGrad(4))   // "AccumGrad(4)"
 */
export const AccumGrad = defineRule({
  kind: "AccumGrad",
  hyper: [count("n")],
  coefficients: (h) => h,
  printPositional: true,
  init: (x) => ({ acc: stateLike(x), counter: 1 }),
  step({ n }, state, s) {
    const acc = state.acc.data, first = state.counter === 1, { g, go } = s;
    // acc ← g/n on the first call, acc + g/n afterwards
    for (let i = 0; i < s.n; i++) acc[i] = first ? g[go + i]! / n : acc[i]! + g[go + i]! / n;
    if (state.counter < n) {
      state.counter += 1;
      return false;
    }
    state.counter = 1;
    for (let i = 0; i < s.n; i++) s.put(i, acc[i]!);  // dx′ = acc  (on the n-th call)
    return true;
  },
});

export type AccumGrad = ReturnType<typeof AccumGrad>;
/** The optimiser state of `AccumGrad`. */
export type AccumGradState = RuleState<AccumGrad>;
