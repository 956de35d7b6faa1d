/** Nesterov: gradient descent with Nesterov momentum. */
import type { FloatArray, NdArray } from "@tsflux/graph";
import { stateLike } from "../layout";
import { HyperRule, parseArgs, type Field } from "./def";

const FIELDS: readonly Field[] = [
  { name: "eta", default: 0.001, check: "rate" },
  { name: "rho", default: 0.9, check: "real" },
];

class NesterovRule extends HyperRule<NdArray> {
  declare readonly eta: number;
  declare readonly rho: number;
  get kind(): string { return "Nesterov"; }
  get fields(): readonly Field[] { return FIELDS; }

  init(x: NdArray): NdArray {
    return stateLike(x);
  }

  /** η, ρ, ρ², (1+ρ)·η */
  protected override coefficients(T: (v: number) => number): number[] {
    const eta = T(this.eta), rho = T(this.rho);
    return [eta, rho, T(rho * rho), T(T(1 + rho) * eta)];
  }

  apply(v: NdArray, x: FloatArray, xo: number, g: FloatArray, go: number, n: number, out: FloatArray | null, f32: boolean): boolean {
    const k = f32 ? this.k32 : this.k64;
    const eta = k[0]!, rho = k[1]!, rho2 = k[2]!, rhoEta = k[3]!;
    const vel = v.data as FloatArray;
    for (let i = 0; i < n; i++) {
      const gi = g[go + i]!;
      // dx′ = −ρ²·v + (1+ρ)·η·g  (with the old v) ;  v ← ρ·v − η·g
      const d = -rho2 * vel[i]! + rhoEta * gi;
      vel[i] = rho * vel[i]! - eta * gi;
      if (out === null) x[xo + i] = x[xo + i]! - d; else out[i] = d;
    }
    return true;
  }
}

export type Nesterov = NesterovRule;

/**
 * Gradient descent with learning rate `eta` (default 0.001) and Nesterov momentum `rho` (default 0.9).
 * @example
 * String(Nesterov())   // "Nesterov(eta=0.001, rho=0.9)"
 */
export function Nesterov(...args: [eta?: number, rho?: number] | [options: { eta?: number; rho?: number }]): Nesterov {
  return new NesterovRule(parseArgs("Nesterov", FIELDS, args));
}
