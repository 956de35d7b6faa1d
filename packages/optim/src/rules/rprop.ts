/** Rprop: steps of a per-element size that grows while the gradient keeps its sign and shrinks when it flips. */
import type { FloatArray, NdArray } from "@tsflux/graph";
import { stateLike } from "../layout";
import { HyperRule, parseArgs, type Field, type Pair } from "./def";

// Captured once: under some realms (Jest's vm contexts) a `Math.f` lookup in a hot loop is not folded,
// and each call then boxes its argument.
const { max, min, sign } = Math;

const FIELDS: readonly Field[] = [
  { name: "eta", default: 1e-3, check: "rate" },
  { name: "ell", default: [0.5, 1.2], check: "pair" },
  { name: "gamma", default: [1e-6, 50.0], check: "pair" },
];

/** The previous gradient (zeroed where the sign flipped) and the per-element step sizes. */
export interface RpropState {
  readonly g: NdArray;
  readonly eta: NdArray;
}

class RpropRule extends HyperRule<RpropState> {
  declare readonly eta: number;
  declare readonly ell: Pair;
  declare readonly gamma: Pair;
  get kind(): string { return "Rprop"; }
  get fields(): readonly Field[] { return FIELDS; }

  init(x: NdArray): RpropState {
    return { g: stateLike(x), eta: stateLike(x, this.eta) };
  }

  /** ℓ₁, ℓ₂, Γ₁, Γ₂ */
  protected override coefficients(T: (v: number) => number): number[] {
    return [T(this.ell[0]), T(this.ell[1]), T(this.gamma[0]), T(this.gamma[1])];
  }

  apply(s: RpropState, x: FloatArray, xo: number, g: FloatArray, go: number, n: number, out: FloatArray | null, f32: boolean): boolean {
    const k = f32 ? this.k32 : this.k64;
    const l1 = k[0]!, l2 = k[1]!, gmin = k[2]!, gmax = k[3]!;
    const prev = s.g.data as FloatArray, step = s.eta.data as FloatArray;
    for (let i = 0; i < n; i++) {
      const dx = g[go + i]!;
      const p = prev[i]! * dx;
      // η ← p>0 ? min(η·ℓ₂, Γ₂) : p<0 ? max(η·ℓ₁, Γ₁) : η ;  g ← p<0 ? 0 : dx ;  dx′ = η·sign(g)   (p = g_prev·dx)
      step[i] = p > 0 ? min(step[i]! * l2, gmax) : p < 0 ? max(step[i]! * l1, gmin) : step[i]!;
      prev[i] = p < 0 ? 0 : dx;
      const d = step[i]! * sign(prev[i]!);
      if (out === null) x[xo + i] = x[xo + i]! - d; else out[i] = d;
    }
    return true;
  }
}

export type Rprop = RpropRule;

/**
 * Rprop with initial step `eta` (0.001), scaling factors `ell` ([0.5, 1.2]) and step bounds `gamma`
 * ([1e-6, 50.0]); a full-batch method that uses only the sign of the gradient.
 * @example
 * String(Rprop())   // "Rprop(eta=0.001, ell=(0.5, 1.2), gamma=(1.0e-6, 50.0))"
 */
export function Rprop(
  ...args: [eta?: number, ell?: Pair, gamma?: Pair] | [options: { eta?: number; ell?: Pair; gamma?: Pair }]
): Rprop {
  return new RpropRule(parseArgs("Rprop", FIELDS, args));
}
