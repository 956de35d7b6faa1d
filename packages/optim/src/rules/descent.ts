/** Descent: classic gradient descent, `x -= η·g`. */
import type { FloatArray, NdArray } from "@tsflux/graph";
import { HyperRule, parseArgs, type Field } from "./def";

const FIELDS: readonly Field[] = [{ name: "eta", default: 0.1, check: "rate" }];

class DescentRule extends HyperRule<null> {
  declare readonly eta: number;
  get kind(): string { return "Descent"; }
  get fields(): readonly Field[] { return FIELDS; }
  override get stateless(): boolean { return true; }
  protected override get printStyle(): "positional" { return "positional"; }

  init(_x: NdArray): null {
    return null;
  }

  protected override coefficients(T: (v: number) => number): number[] {
    return [T(this.eta)];
  }

  apply(_s: null, x: FloatArray, xo: number, g: FloatArray, go: number, n: number, out: FloatArray | null, f32: boolean): boolean {
    const eta = (f32 ? this.k32 : this.k64)[0]!;
    for (let i = 0; i < n; i++) {
      // dx′ = g·η
      const d = g[go + i]! * eta;
      if (out === null) x[xo + i] = x[xo + i]! - d; else out[i] = d;
    }
    return true;
  }
}

export type Descent = DescentRule;

/**
 * Gradient descent with learning rate `eta` (default 0.1): each step runs `x -= eta * g`.
 * @example
 * String(Descent(0.1))   // "Descent(0.1)"
 */
export function Descent(...args: [eta?: number] | [options: { eta?: number }]): Descent {
  return new DescentRule(parseArgs("Descent", FIELDS, args));
}
