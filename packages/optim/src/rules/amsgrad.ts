/** AMSGrad: Adam with a running maximum of the second moment, and no bias correction. */
import type { FloatArray, NdArray } from "@tsflux/graph";
import { stateLike } from "../layout";
import { HyperRule, parseArgs, type Field, type Pair } from "./def";

// Captured once: under some realms (Jest's vm contexts) a `Math.f` lookup in a hot loop is not folded,
// and each call then boxes its argument.
const { max, sqrt } = Math;

const FIELDS: readonly Field[] = [
  { name: "eta", default: 0.001, check: "rate" },
  { name: "beta", default: [0.9, 0.999], check: "beta" },
  { name: "epsilon", default: 1e-8, check: "real" },
];

/** Moments and the running maximum `vhat` of the second moment (Optimisers.jl's v̂t). */
export interface AMSGradState {
  readonly mt: NdArray;
  readonly vt: NdArray;
  readonly vhat: NdArray;
}

class AMSGradRule extends HyperRule<AMSGradState> {
  declare readonly eta: number;
  declare readonly beta: Pair;
  declare readonly epsilon: number;
  get kind(): string { return "AMSGrad"; }
  get fields(): readonly Field[] { return FIELDS; }

  /** All three arrays start filled with ϵ, as Optimisers.jl's `onevalue(ϵ, x)`. */
  init(x: NdArray): AMSGradState {
    return { mt: stateLike(x, this.epsilon), vt: stateLike(x, this.epsilon), vhat: stateLike(x, this.epsilon) };
  }

  /** η, β₁, β₂, ϵ, 1−β₁, 1−β₂ (β₁, β₂ at 1, 2: the layout `advancePowers` reads) */
  protected override coefficients(T: (v: number) => number): number[] {
    const b1 = T(this.beta[0]), b2 = T(this.beta[1]);
    return [T(this.eta), b1, b2, T(this.epsilon), T(1 - b1), T(1 - b2)];
  }

  apply(s: AMSGradState, x: FloatArray, xo: number, g: FloatArray, go: number, n: number, out: FloatArray | null, f32: boolean): boolean {
    const k = f32 ? this.k32 : this.k64;
    const eta = k[0]!, b1 = k[1]!, b2 = k[2]!, eps = k[3]!, a1 = k[4]!, a2 = k[5]!;
    const mt = s.mt.data as FloatArray, vt = s.vt.data as FloatArray, vhat = s.vhat.data as FloatArray;
    for (let i = 0; i < n; i++) {
      const gi = g[go + i]!;
      // m ← β₁m + (1−β₁)g ;  v ← β₂v + (1−β₂)g² ;  v̂ ← max(v̂, v) ;  dx′ = η·m / (√v̂ + ϵ)
      mt[i] = b1 * mt[i]! + a1 * gi;
      vt[i] = b2 * vt[i]! + a2 * gi * gi;
      vhat[i] = max(vhat[i]!, vt[i]!);
      const d = (eta * mt[i]!) / (sqrt(vhat[i]!) + eps);
      if (out === null) x[xo + i] = x[xo + i]! - d; else out[i] = d;
    }
    return true;
  }
}

export type AMSGrad = AMSGradRule;

/**
 * AMSGrad with learning rate `eta` (0.001), `beta` ([0.9, 0.999]) and `epsilon` (1e-8).
 * @example
 * String(AMSGrad())   // "AMSGrad(eta=0.001, beta=(0.9, 0.999), epsilon=1.0e-8)"
 */
export function AMSGrad(
  ...args: [eta?: number, beta?: Pair, epsilon?: number] | [options: { eta?: number; beta?: Pair; epsilon?: number }]
): AMSGrad {
  return new AMSGradRule(parseArgs("AMSGrad", FIELDS, args));
}
