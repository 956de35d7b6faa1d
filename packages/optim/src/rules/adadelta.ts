/** AdaDelta: AdaGrad with a decaying window, and no learning rate. */
import type { FloatArray, NdArray } from "@tsflux/graph";
import { stateLike } from "../layout";
import { HyperRule, parseArgs, type Field } from "./def";

// Captured once: under some realms (Jest's vm contexts) a `Math.f` lookup in a hot loop is not folded,
// and each call then boxes its argument.
const { fround, sqrt } = Math;

const FIELDS: readonly Field[] = [
  { name: "rho", default: 0.9, check: "real" },
  { name: "epsilon", default: 1e-8, check: "real" },
];

/** Running mean squares of the gradients (`acc`) and of the steps (`dacc`, Optimisers.jl's Δacc). */
export interface AdaDeltaState {
  readonly acc: NdArray;
  readonly dacc: NdArray;
}

class AdaDeltaRule extends HyperRule<AdaDeltaState> {
  declare readonly rho: number;
  declare readonly epsilon: number;
  get kind(): string { return "AdaDelta"; }
  get fields(): readonly Field[] { return FIELDS; }

  init(x: NdArray): AdaDeltaState {
    return { acc: stateLike(x), dacc: stateLike(x) };
  }

  /** ρ, ϵ, 1−ρ */
  protected override coefficients(T: (v: number) => number): number[] {
    const rho = T(this.rho);
    return [rho, T(this.epsilon), T(1 - rho)];
  }

  apply(s: AdaDeltaState, x: FloatArray, xo: number, g: FloatArray, go: number, n: number, out: FloatArray | null, f32: boolean): boolean {
    const k = f32 ? this.k32 : this.k64;
    const rho = k[0]!, eps = k[1]!, a = k[2]!;
    const acc = s.acc.data as FloatArray, dacc = s.dacc.data as FloatArray;
    for (let i = 0; i < n; i++) {
      const gi = g[go + i]!;
      // acc ← ρ·acc + (1−ρ)·g² ;  dx′ = g·√(Δacc + ϵ) / √(acc + ϵ) (old Δacc) ;  Δacc ← ρ·Δacc + (1−ρ)·dx′²
      acc[i] = rho * acc[i]! + a * gi * gi;
      const d64 = (gi * sqrt(dacc[i]! + eps)) / sqrt(acc[i]! + eps);
      const d = f32 ? fround(d64) : d64;
      dacc[i] = rho * dacc[i]! + a * d * d;
      if (out === null) x[xo + i] = x[xo + i]! - d; else out[i] = d;
    }
    return true;
  }
}

export type AdaDelta = AdaDeltaRule;

/**
 * AdaDelta with decay `rho` (0.9) and `epsilon` (1e-8); it has no learning rate, so `adjust(state, eta)`
 * leaves it unchanged.
 * @example
 * String(AdaDelta())   // "AdaDelta(rho=0.9, epsilon=1.0e-8)"
 */
export function AdaDelta(...args: [rho?: number, epsilon?: number] | [options: { rho?: number; epsilon?: number }]): AdaDelta {
  return new AdaDeltaRule(parseArgs("AdaDelta", FIELDS, args));
}
