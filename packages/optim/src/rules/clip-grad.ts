/** ClipGrad: clamps every gradient component to [−δ, δ]. */
import type { FloatArray, NdArray } from "@tsflux/graph";
import { HyperRule, parseArgs, type Field } from "./def";

const FIELDS: readonly Field[] = [{ name: "delta", default: 10.0, check: "real" }];

class ClipGradRule extends HyperRule<null> {
  declare readonly delta: number;
  get kind(): string { return "ClipGrad"; }
  get fields(): readonly Field[] { return FIELDS; }
  override get stateless(): boolean { return true; }

  init(_x: NdArray): null {
    return null;
  }

  protected override coefficients(T: (v: number) => number): number[] {
    return [T(this.delta)];
  }

  apply(_s: null, x: FloatArray, xo: number, g: FloatArray, go: number, n: number, out: FloatArray | null, f32: boolean): boolean {
    const hi = (f32 ? this.k32 : this.k64)[0]!, lo = -hi;
    for (let i = 0; i < n; i++) {
      const gi = g[go + i]!;
      // dx′ = clamp(g, −δ, δ)   (NaN stays NaN, as Julia's clamp)
      const d = gi > hi ? hi : gi < lo ? lo : gi;
      if (out === null) x[xo + i] = x[xo + i]! - d; else out[i] = d;
    }
    return true;
  }
}

export type ClipGrad = ClipGradRule;

/**
 * Clamps each gradient component to `[-delta, delta]` (delta 10.0); usually the first member of an
 * OptimiserChain.
 * @example
 * String(ClipGrad(1))   // "ClipGrad(delta=1.0)"
 */
export function ClipGrad(...args: [delta?: number] | [options: { delta?: number }]): ClipGrad {
  return new ClipGradRule(parseArgs("ClipGrad", FIELDS, args));
}
