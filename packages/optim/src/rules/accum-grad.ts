/** AccumGrad: accumulates the mean of n gradients, and steps only on every n-th call. */
import type { FloatArray, NdArray } from "@tsflux/graph";
import { stateLike } from "../layout";
import { HyperRule, parseArgs, type Field } from "./def";

const FIELDS: readonly Field[] = [{ name: "n", default: 0, check: "count" }];  // no default: n is required

/** The running mean of the gradients so far, and which of the n calls comes next (1-based). */
export interface AccumGradState {
  readonly acc: NdArray;
  counter: number;
}

class AccumGradRule extends HyperRule<AccumGradState> {
  declare readonly n: number;
  get kind(): string { return "AccumGrad"; }
  get fields(): readonly Field[] { return FIELDS; }
  protected override get printStyle(): "positional" { return "positional"; }

  init(x: NdArray): AccumGradState {
    return { acc: stateLike(x), counter: 1 };
  }

  apply(s: AccumGradState, x: FloatArray, xo: number, g: FloatArray, go: number, n: number, out: FloatArray | null): boolean {
    const k = this.n, acc = s.acc.data as FloatArray, first = s.counter === 1;
    for (let i = 0; i < n; i++) {
      // acc ← g/n on the first call, acc + g/n afterwards
      acc[i] = first ? g[go + i]! / k : acc[i]! + g[go + i]! / k;
    }
    if (s.counter < k) {
      s.counter += 1;
      return false;
    }
    s.counter = 1;
    for (let i = 0; i < n; i++) {
      // dx′ = acc  (on the n-th call)
      const d = acc[i]!;
      if (out === null) x[xo + i] = x[xo + i]! - d; else out[i] = d;
    }
    return true;
  }
}

export type AccumGrad = AccumGradRule;

/**
 * Accumulates `n` gradients and applies their mean on every n-th update (no step in between); used as
 * `OptimiserChain(AccumGrad(n), rule)` for an effective batch n times larger.
 * @example
 * String(AccumGrad(4))   // "AccumGrad(4)"
 */
export function AccumGrad(...args: [n: number] | [options: { n: number }]): AccumGrad {
  return new AccumGradRule(parseArgs("AccumGrad", FIELDS, args));
}
