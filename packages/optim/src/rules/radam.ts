/** RAdam: Adam with a rectifier on the adaptive step, plain momentum while the variance estimate is poor. */
import type { FloatArray, NdArray } from "@tsflux/graph";
import { floatKind, stateLike } from "../layout";
import { advancePowers, betaPowers } from "./beta-power";
import { HyperRule, parseArgs, type Field, type Pair } from "./def";

// Captured once: under some realms (Jest's vm contexts) a `Math.f` lookup in a hot loop is not folded,
// and each call then boxes its argument.
const { fround, sqrt } = Math;

const FIELDS: readonly Field[] = [
  { name: "eta", default: 0.001, check: "rate" },
  { name: "beta", default: [0.9, 0.999], check: "beta" },
  { name: "epsilon", default: 1e-8, check: "real" },
];

/** Moments, bias-correction powers and the step counter `t` (starting at 1). */
export interface RAdamState {
  readonly mt: NdArray;
  readonly vt: NdArray;
  readonly betat: FloatArray;
  t: number;
}

class RAdamRule extends HyperRule<RAdamState> {
  declare readonly eta: number;
  declare readonly beta: Pair;
  declare readonly epsilon: number;
  get kind(): string { return "RAdam"; }
  get fields(): readonly Field[] { return FIELDS; }

  init(x: NdArray): RAdamState {
    return { mt: stateLike(x), vt: stateLike(x), betat: betaPowers(this.beta, floatKind(x) === "f32"), t: 1 };
  }

  /** η, β₁, β₂, ϵ, 1−β₁, 1−β₂, ρ∞ = 2/(1−β₂) − 1 (β₁, β₂ at 1, 2: the layout `advancePowers` reads) */
  protected override coefficients(T: (v: number) => number): number[] {
    const b1 = T(this.beta[0]), b2 = T(this.beta[1]), a2 = T(1 - b2);
    return [T(this.eta), b1, b2, T(this.epsilon), T(1 - b1), a2, T(T(2 / a2) - 1)];
  }

  apply(s: RAdamState, x: FloatArray, xo: number, g: FloatArray, go: number, n: number, out: FloatArray | null, f32: boolean): boolean {
    const k = f32 ? this.k32 : this.k64;
    const eta = k[0]!, b1 = k[1]!, b2 = k[2]!, eps = k[3]!, a1 = k[4]!, a2 = k[5]!;
    const rhoInf = k[6]!;
    const mt = s.mt.data as FloatArray, vt = s.vt.data as FloatArray, bt = s.betat;
    const c1 = f32 ? fround(1 - bt[0]!) : 1 - bt[0]!, c2 = f32 ? fround(1 - bt[1]!) : 1 - bt[1]!;
    // ρ = ρ∞ − 2t·β₂ᵗ/(1−β₂ᵗ) ;  r = √((ρ−4)(ρ−2)ρ∞ / ((ρ∞−4)(ρ∞−2)ρ))
    const rho64 = rhoInf - (2 * s.t * bt[1]!) / c2;
    const rho = f32 ? fround(rho64) : rho64;
    const rectified = rho > 4;
    const r64 = rectified ? sqrt(((rho - 4) * (rho - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rho)) : 0;
    const r = f32 ? fround(r64) : r64;
    for (let i = 0; i < n; i++) {
      const gi = g[go + i]!;
      // m ← β₁m + (1−β₁)g ;  v ← β₂v + (1−β₂)g² ;  dx′ = ρ>4 ? m/(1−β₁ᵗ) / (√(v/(1−β₂ᵗ)) + ϵ)·η·r : m/(1−β₁ᵗ)·η
      mt[i] = b1 * mt[i]! + a1 * gi;
      vt[i] = b2 * vt[i]! + a2 * gi * gi;
      const d = rectified ? (mt[i]! / c1 / (sqrt(vt[i]! / c2) + eps)) * eta * r : (mt[i]! / c1) * eta;
      if (out === null) x[xo + i] = x[xo + i]! - d; else out[i] = d;
    }
    advancePowers(bt, k);
    s.t += 1;
    return true;
  }
}

export type RAdam = RAdamRule;

/**
 * Rectified Adam with learning rate `eta` (0.001), `beta` ([0.9, 0.999]) and `epsilon` (1e-8).
 * @example
 * String(RAdam())   // "RAdam(eta=0.001, beta=(0.9, 0.999), epsilon=1.0e-8)"
 */
export function RAdam(
  ...args: [eta?: number, beta?: Pair, epsilon?: number] | [options: { eta?: number; beta?: Pair; epsilon?: number }]
): RAdam {
  return new RAdamRule(parseArgs("RAdam", FIELDS, args));
}
