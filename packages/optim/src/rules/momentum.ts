/** Momentum: gradient descent with a velocity that accumulates past steps. */
import type { FloatArray, NdArray } from "@tsflux/graph";
import { stateLike } from "../layout";
import { HyperRule, parseArgs, type Field } from "./def";

const FIELDS: readonly Field[] = [
  { name: "eta", default: 0.01, check: "rate" },
  { name: "rho", default: 0.9, check: "real" },
];

class MomentumRule extends HyperRule<NdArray> {
  declare readonly eta: number;
  declare readonly rho: number;
  get kind(): string { return "Momentum"; }
  get fields(): readonly Field[] { return FIELDS; }

  init(x: NdArray): NdArray {
    return stateLike(x);
  }

  protected override coefficients(T: (v: number) => number): number[] {
    return [T(this.eta), T(this.rho)];
  }

  apply(v: NdArray, x: FloatArray, xo: number, g: FloatArray, go: number, n: number, out: FloatArray | null, f32: boolean): boolean {
    const k = f32 ? this.k32 : this.k64;
    const eta = k[0]!, rho = k[1]!;
    const vel = v.data as FloatArray;
    for (let i = 0; i < n; i++) {
      // v ← ρ·v + η·g ;  dx′ = v
      vel[i] = rho * vel[i]! + eta * g[go + i]!;
      const d = vel[i]!;
      if (out === null) x[xo + i] = x[xo + i]! - d; else out[i] = d;
    }
    return true;
  }
}

export type Momentum = MomentumRule;

/**
 * Gradient descent with learning rate `eta` (default 0.01) and momentum `rho` (default 0.9).
 * @example
 * String(Momentum())   // "Momentum(eta=0.01, rho=0.9)"
 */
export function Momentum(...args: [eta?: number, rho?: number] | [options: { eta?: number; rho?: number }]): Momentum {
  return new MomentumRule(parseArgs("Momentum", FIELDS, args));
}
