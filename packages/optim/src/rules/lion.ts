/** Lion: the sign of an interpolation between the gradient and its momentum, in Optimisers.jl's order. */
import type { FloatArray, NdArray } from "@tsflux/graph";
import { stateLike } from "../layout";
import { HyperRule, parseArgs, type Field, type Pair } from "./def";

// Captured once: under some realms (Jest's vm contexts) a `Math.f` lookup in a hot loop is not folded,
// and each call then boxes its argument.
const { sign } = Math;

const FIELDS: readonly Field[] = [
  { name: "eta", default: 0.001, check: "rate" },
  { name: "beta", default: [0.9, 0.999], check: "beta" },
];

class LionRule extends HyperRule<NdArray> {
  declare readonly eta: number;
  declare readonly beta: Pair;
  get kind(): string { return "Lion"; }
  get fields(): readonly Field[] { return FIELDS; }

  init(x: NdArray): NdArray {
    return stateLike(x);
  }

  /** η, β₁, β₂, 1−β₂, β₂−β₁ */
  protected override coefficients(T: (v: number) => number): number[] {
    const b1 = T(this.beta[0]), b2 = T(this.beta[1]);
    return [T(this.eta), b1, b2, T(1 - b2), T(b2 - b1)];
  }

  apply(m: NdArray, x: FloatArray, xo: number, g: FloatArray, go: number, n: number, out: FloatArray | null, f32: boolean): boolean {
    const k = f32 ? this.k32 : this.k64;
    const eta = k[0]!, b1 = k[1]!, b2 = k[2]!, a2 = k[3]!, b21 = k[4]!;
    const mom = m.data as FloatArray;
    for (let i = 0; i < n; i++) {
      const gi = g[go + i]!;
      // m ← β₂·g + (1−β₂)·m  (Optimisers.jl's code) ;  dx′ = η·sign((β₂−β₁)·g + β₁·m)  (new m)
      mom[i] = b2 * gi + a2 * mom[i]!;
      const d = eta * sign(b21 * gi + b1 * mom[i]!);
      if (out === null) x[xo + i] = x[xo + i]! - d; else out[i] = d;
    }
    return true;
  }
}

export type Lion = LionRule;

/**
 * Lion with learning rate `eta` (0.001) and `beta` ([0.9, 0.999]). The momentum update follows
 * Optimisers.jl's code (`m ← β₂g + (1−β₂)m`), not the paper's.
 * @example
 * String(Lion())   // "Lion(eta=0.001, beta=(0.9, 0.999))"
 */
export function Lion(...args: [eta?: number, beta?: Pair] | [options: { eta?: number; beta?: Pair }]): Lion {
  return new LionRule(parseArgs("Lion", FIELDS, args));
}
