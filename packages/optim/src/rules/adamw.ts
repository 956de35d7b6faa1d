/** AdamW: Adam (with η = 1) plus weight decay, coupled to the learning rate as in PyTorch by default. */
import type { FloatArray, NdArray } from "@tsflux/graph";
import { floatKind, stateLike } from "../layout";
import type { AdamState } from "./adam";
import { advancePowers, betaPowers } from "./beta-power";
import { HyperRule, parseArgs, type Field, type Pair } from "./def";

// Captured once: under some realms (Jest's vm contexts) a `Math.f` lookup in a hot loop is not folded,
// and each call then boxes its argument.
const { fround, sqrt } = Math;

const FIELDS: readonly Field[] = [
  { name: "eta", default: 0.001, check: "rate" },
  { name: "beta", default: [0.9, 0.999], check: "beta" },
  { name: "lambda", default: 0.0, check: "real" },
  { name: "epsilon", default: 1e-8, check: "real" },
  { name: "couple", default: true, check: "flag", keyword: true },
];

class AdamWRule extends HyperRule<AdamState> {
  declare readonly eta: number;
  declare readonly beta: Pair;
  declare readonly lambda: number;
  declare readonly epsilon: number;
  declare readonly couple: boolean;
  get kind(): string { return "AdamW"; }
  get fields(): readonly Field[] { return FIELDS; }

  init(x: NdArray): AdamState {
    return { mt: stateLike(x), vt: stateLike(x), betat: betaPowers(this.beta, floatKind(x) === "f32") };
  }

  /** η, β₁, β₂, ϵ, 1−β₁, 1−β₂, λ (β₁, β₂ at 1, 2: the layout `advancePowers` reads) */
  protected override coefficients(T: (v: number) => number): number[] {
    const b1 = T(this.beta[0]), b2 = T(this.beta[1]);
    return [T(this.eta), b1, b2, T(this.epsilon), T(1 - b1), T(1 - b2), T(this.lambda)];
  }

  apply(s: AdamState, x: FloatArray, xo: number, g: FloatArray, go: number, n: number, out: FloatArray | null, f32: boolean): boolean {
    const k = f32 ? this.k32 : this.k64;
    const eta = k[0]!, b1 = k[1]!, b2 = k[2]!, eps = k[3]!, a1 = k[4]!, a2 = k[5]!;
    const lambda = k[6]!, couple = this.couple;
    const mt = s.mt.data as FloatArray, vt = s.vt.data as FloatArray, bt = s.betat;
    const c1 = f32 ? fround(1 - bt[0]!) : 1 - bt[0]!, c2 = f32 ? fround(1 - bt[1]!) : 1 - bt[1]!;
    for (let i = 0; i < n; i++) {
      const gi = g[go + i]!, xi = x[xo + i]!;
      // m ← β₁m + (1−β₁)g ;  v ← β₂v + (1−β₂)g² ;  a = m/(1−β₁ᵗ) / (√(v/(1−β₂ᵗ)) + ϵ) ;  dx′ = couple ? η(a + λx) : ηa + λx
      mt[i] = b1 * mt[i]! + a1 * gi;
      vt[i] = b2 * vt[i]! + a2 * gi * gi;
      const adam = mt[i]! / c1 / (sqrt(vt[i]! / c2) + eps);
      const d = couple ? eta * (adam + lambda * xi) : eta * adam + lambda * xi;
      if (out === null) x[xo + i] = xi - d; else out[i] = d;
    }
    advancePowers(bt, k);
    return true;
  }
}

export type AdamW = AdamWRule;

export interface AdamWOptions {
  eta?: number;
  beta?: Pair;
  lambda?: number;
  epsilon?: number;
  /** Couple the weight decay to the learning rate (`x -= η(d + λx)`, the default) or not (`x -= ηd + λx`). */
  couple?: boolean;
}

/**
 * AdamW with learning rate `eta` (0.001), `beta` ([0.9, 0.999]), weight decay `lambda` (0), `epsilon`
 * (1e-8) and the `couple` option (true).
 * @example
 * String(AdamW())   // "AdamW(eta=0.001, beta=(0.9, 0.999), lambda=0.0, epsilon=1.0e-8, couple=true)"
 */
export function AdamW(
  ...args: [eta?: number, beta?: Pair, lambda?: number, epsilon?: number, options?: { couple?: boolean }] | [options: AdamWOptions]
): AdamW {
  return new AdamWRule(parseArgs("AdamW", FIELDS, args));
}
