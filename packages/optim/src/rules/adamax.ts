/** AdaMax: Adam with the infinity norm in place of the second moment. */
import type { FloatArray, NdArray } from "@tsflux/graph";
import { floatKind, stateLike } from "../layout";
import { advancePowers, betaPowers } from "./beta-power";
import { HyperRule, parseArgs, type Field, type Pair } from "./def";

// Captured once: under some realms (Jest's vm contexts) a `Math.f` lookup in a hot loop is not folded,
// and each call then boxes its argument.
const { abs, fround, max } = Math;

const FIELDS: readonly Field[] = [
  { name: "eta", default: 0.001, check: "rate" },
  { name: "beta", default: [0.9, 0.999], check: "beta" },
  { name: "epsilon", default: 1e-8, check: "real" },
];

/** First moment, exponentially weighted infinity norm `ut`, and the powers (β₁ᵗ, β₂ᵗ). */
export interface AdaMaxState {
  readonly mt: NdArray;
  readonly ut: NdArray;
  readonly betat: FloatArray;
}

class AdaMaxRule extends HyperRule<AdaMaxState> {
  declare readonly eta: number;
  declare readonly beta: Pair;
  declare readonly epsilon: number;
  get kind(): string { return "AdaMax"; }
  get fields(): readonly Field[] { return FIELDS; }

  init(x: NdArray): AdaMaxState {
    return { mt: stateLike(x), ut: stateLike(x), betat: betaPowers(this.beta, floatKind(x) === "f32") };
  }

  /** η, β₁, β₂, ϵ, 1−β₁, 1−β₂ (β₁, β₂ at 1, 2: the layout `advancePowers` reads) */
  protected override coefficients(T: (v: number) => number): number[] {
    const b1 = T(this.beta[0]), b2 = T(this.beta[1]);
    return [T(this.eta), b1, b2, T(this.epsilon), T(1 - b1), T(1 - b2)];
  }

  apply(s: AdaMaxState, x: FloatArray, xo: number, g: FloatArray, go: number, n: number, out: FloatArray | null, f32: boolean): boolean {
    const k = f32 ? this.k32 : this.k64;
    const eta = k[0]!, b1 = k[1]!, b2 = k[2]!, eps = k[3]!, a1 = k[4]!;
    const mt = s.mt.data as FloatArray, ut = s.ut.data as FloatArray, bt = s.betat;
    const c1 = f32 ? fround(1 - bt[0]!) : 1 - bt[0]!;
    const scale = f32 ? fround(eta / c1) : eta / c1;
    for (let i = 0; i < n; i++) {
      const gi = g[go + i]!;
      // m ← β₁m + (1−β₁)g ;  u ← max(β₂u, |g|) ;  dx′ = (η/(1−β₁ᵗ))·m/(u + ϵ)
      mt[i] = b1 * mt[i]! + a1 * gi;
      ut[i] = max(b2 * ut[i]!, abs(gi));
      const d = (scale * mt[i]!) / (ut[i]! + eps);
      if (out === null) x[xo + i] = x[xo + i]! - d; else out[i] = d;
    }
    advancePowers(bt, k);
    return true;
  }
}

export type AdaMax = AdaMaxRule;

/**
 * AdaMax with learning rate `eta` (0.001), `beta` ([0.9, 0.999]) and `epsilon` (1e-8).
 * @example
 * String(AdaMax())   // "AdaMax(eta=0.001, beta=(0.9, 0.999), epsilon=1.0e-8)"
 */
export function AdaMax(
  ...args: [eta?: number, beta?: Pair, epsilon?: number] | [options: { eta?: number; beta?: Pair; epsilon?: number }]
): AdaMax {
  return new AdaMaxRule(parseArgs("AdaMax", FIELDS, args));
}
