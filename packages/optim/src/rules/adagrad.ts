/** AdaGrad: per-element learning rates scaled by the accumulated squared gradients. */
import type { FloatArray, NdArray } from "@tsflux/graph";
import { stateLike } from "../layout";
import { HyperRule, parseArgs, type Field } from "./def";

// Captured once: under some realms (Jest's vm contexts) a `Math.f` lookup in a hot loop is not folded,
// and each call then boxes its argument.
const { sqrt } = Math;

const FIELDS: readonly Field[] = [
  { name: "eta", default: 0.1, check: "rate" },
  { name: "epsilon", default: 1e-8, check: "real" },
];

class AdaGradRule extends HyperRule<NdArray> {
  declare readonly eta: number;
  declare readonly epsilon: number;
  get kind(): string { return "AdaGrad"; }
  get fields(): readonly Field[] { return FIELDS; }

  /** The accumulator starts filled with ϵ, as Optimisers.jl's `onevalue(ϵ, x)`. */
  init(x: NdArray): NdArray {
    return stateLike(x, this.epsilon);
  }

  protected override coefficients(T: (v: number) => number): number[] {
    return [T(this.eta), T(this.epsilon)];
  }

  apply(a: NdArray, x: FloatArray, xo: number, g: FloatArray, go: number, n: number, out: FloatArray | null, f32: boolean): boolean {
    const k = f32 ? this.k32 : this.k64;
    const eta = k[0]!, eps = k[1]!;
    const acc = a.data as FloatArray;
    for (let i = 0; i < n; i++) {
      const gi = g[go + i]!;
      // acc ← acc + g² ;  dx′ = g·η / (√acc + ϵ)
      acc[i] = acc[i]! + gi * gi;
      const d = (gi * eta) / (sqrt(acc[i]!) + eps);
      if (out === null) x[xo + i] = x[xo + i]! - d; else out[i] = d;
    }
    return true;
  }
}

export type AdaGrad = AdaGradRule;

/**
 * AdaGrad with learning rate `eta` (0.1) and `epsilon` (1e-8).
 * @example
 * String(AdaGrad())   // "AdaGrad(eta=0.1, epsilon=1.0e-8)"
 */
export function AdaGrad(...args: [eta?: number, epsilon?: number] | [options: { eta?: number; epsilon?: number }]): AdaGrad {
  return new AdaGradRule(parseArgs("AdaGrad", FIELDS, args));
}
