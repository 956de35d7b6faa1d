/** RMSProp, and its centred variant that normalises by an estimate of the gradient's variance. */
import type { FloatArray, NdArray } from "@tsflux/graph";
import { stateLike } from "../layout";
import { HyperRule, parseArgs, type Field } from "./def";

// Captured once: under some realms (Jest's vm contexts) a `Math.f` lookup in a hot loop is not folded,
// and each call then boxes its argument.
const { sqrt } = Math;

const FIELDS: readonly Field[] = [
  { name: "eta", default: 0.001, check: "rate" },
  { name: "rho", default: 0.9, check: "real" },
  { name: "epsilon", default: 1e-8, check: "real" },
  { name: "centred", default: false, check: "flag", keyword: true, aliases: ["centered"], fixed: true },
];

/** Mean square `quad`, and the mean `lin` when centred (`false` otherwise, as in Optimisers.jl). */
export interface RMSPropState {
  readonly quad: NdArray;
  readonly lin: NdArray | false;
}

class RMSPropRule extends HyperRule<RMSPropState> {
  declare readonly eta: number;
  declare readonly rho: number;
  declare readonly epsilon: number;
  declare readonly centred: boolean;
  get kind(): string { return "RMSProp"; }
  get fields(): readonly Field[] { return FIELDS; }

  init(x: NdArray): RMSPropState {
    return { quad: stateLike(x), lin: this.centred ? stateLike(x) : false };
  }

  /** η, ρ, ϵ, 1−ρ */
  protected override coefficients(T: (v: number) => number): number[] {
    const rho = T(this.rho);
    return [T(this.eta), rho, T(this.epsilon), T(1 - rho)];
  }

  apply(s: RMSPropState, x: FloatArray, xo: number, g: FloatArray, go: number, n: number, out: FloatArray | null, f32: boolean): boolean {
    const k = f32 ? this.k32 : this.k64;
    const eta = k[0]!, rho = k[1]!, eps = k[2]!, a = k[3]!;
    const quad = s.quad.data as FloatArray;
    const lin = s.lin === false ? null : (s.lin.data as FloatArray);
    for (let i = 0; i < n; i++) {
      const gi = g[go + i]!;
      // q ← ρ·q + (1−ρ)·g² ;  centred: l ← ρ·l + (1−ρ)·g ;  dx′ = g·η / (√(q − l²) + ϵ)
      quad[i] = rho * quad[i]! + a * gi * gi;
      let l = 0;
      if (lin !== null) {
        lin[i] = rho * lin[i]! + a * gi;
        l = lin[i]!;
      }
      const d = (gi * eta) / (sqrt(quad[i]! - l * l) + eps);
      if (out === null) x[xo + i] = x[xo + i]! - d; else out[i] = d;
    }
    return true;
  }
}

export type RMSProp = RMSPropRule;

export interface RMSPropOptions {
  eta?: number;
  rho?: number;
  epsilon?: number;
  /** Use the centred variant (also spelled `centered`); cannot be changed by `adjust`. */
  centred?: boolean;
  centered?: boolean;
}

/**
 * RMSProp with learning rate `eta` (0.001), decay `rho` (0.9), `epsilon` (1e-8) and the `centred` option.
 * Prints with the closing parenthesis that Optimisers.jl 0.4.8's `show` leaves out.
 * @example
 * String(RMSProp(0.001, 0.9, 1e-8, { centred: true }))   // "RMSProp(eta=0.001, rho=0.9, epsilon=1.0e-8, centred=true)"
 */
export function RMSProp(
  ...args: [eta?: number, rho?: number, epsilon?: number, options?: Pick<RMSPropOptions, "centred" | "centered">] | [options: RMSPropOptions]
): RMSProp {
  return new RMSPropRule(parseArgs("RMSProp", FIELDS, args));
}
