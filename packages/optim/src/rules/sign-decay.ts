/** SignDecay: L1 regularisation, adding λ·sign(x) to the gradient. */
import type { FloatArray, NdArray } from "@tsflux/graph";
import { HyperRule, parseArgs, type Field } from "./def";

// Captured once: under some realms (Jest's vm contexts) a `Math.f` lookup in a hot loop is not folded,
// and each call then boxes its argument.
const { sign } = Math;

const FIELDS: readonly Field[] = [{ name: "lambda", default: 1e-3, check: "real" }];

class SignDecayRule extends HyperRule<null> {
  declare readonly lambda: number;
  get kind(): string { return "SignDecay"; }
  get fields(): readonly Field[] { return FIELDS; }
  override get stateless(): boolean { return true; }

  init(_x: NdArray): null {
    return null;
  }

  protected override coefficients(T: (v: number) => number): number[] {
    return [T(this.lambda)];
  }

  apply(_s: null, x: FloatArray, xo: number, g: FloatArray, go: number, n: number, out: FloatArray | null, f32: boolean): boolean {
    const lambda = (f32 ? this.k32 : this.k64)[0]!;
    for (let i = 0; i < n; i++) {
      // dx′ = g + λ·sign(x)
      const d = g[go + i]! + lambda * sign(x[xo + i]!);
      if (out === null) x[xo + i] = x[xo + i]! - d; else out[i] = d;
    }
    return true;
  }
}

export type SignDecay = SignDecayRule;

/**
 * L1 regularisation of strength `lambda` (1e-3): adds `lambda * sign(x)` to the gradient, which equals
 * adding `lambda * sum(|x|)` to the loss.
 * @example
 * String(SignDecay())   // "SignDecay(lambda=0.001)"
 */
export function SignDecay(...args: [lambda?: number] | [options: { lambda?: number }]): SignDecay {
  return new SignDecayRule(parseArgs("SignDecay", FIELDS, args));
}
