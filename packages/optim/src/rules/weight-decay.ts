/** WeightDecay: L2 regularisation, adding λ·x to the gradient (put it first in an OptimiserChain). */
import type { FloatArray, NdArray } from "@tsflux/graph";
import type { Rule } from "../rule";
import { HyperRule, parseArgs, type Field } from "./def";

const FIELDS: readonly Field[] = [{ name: "lambda", default: 5e-4, check: "real" }];

class WeightDecayRule extends HyperRule<null> {
  declare readonly lambda: number;
  get kind(): string { return "WeightDecay"; }
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
      // dx′ = g + λ·x
      const d = g[go + i]! + lambda * x[xo + i]!;
      if (out === null) x[xo + i] = x[xo + i]! - d; else out[i] = d;
    }
    return true;
  }

  /** Also accepts the deprecated name `gamma` for `lambda`, with Optimisers.jl's warning. */
  override adjust(change: number | Readonly<Record<string, unknown>>): Rule<null> {
    if (typeof change === "object" && change !== null && "gamma" in change) {
      console.warn("The strength of WeightDecay is now field :lambda, not :gamma");
      const { gamma, ...rest } = change as Readonly<Record<string, unknown>>;
      return super.adjust({ lambda: gamma, ...rest });
    }
    return super.adjust(change);
  }
}

export type WeightDecay = WeightDecayRule;

/**
 * L2 regularisation of strength `lambda` (5e-4): adds `lambda * x` to the gradient, which equals adding
 * `lambda/2 * sum(x²)` to the loss.
 * @example
 * String(WeightDecay())   // "WeightDecay(lambda=0.0005)"
 */
export function WeightDecay(...args: [lambda?: number] | [options: { lambda?: number }]): WeightDecay {
  return new WeightDecayRule(parseArgs("WeightDecay", FIELDS, args));
}
