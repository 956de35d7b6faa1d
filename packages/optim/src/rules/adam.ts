/** Adam, exactly as Optimisers.jl writes it: ϵ outside the square root, bias correction from βt. */
import { heapOffset, wasmAdamF32, type FloatArray, type NdArray } from "@tsflux/graph";
import { floatKind, stateLike } from "../layout";
import { advancePowers, betaPowers } from "./beta-power";
import { HyperRule, parseArgs, type Field, type Pair } from "./def";

// Captured once: under some realms (Jest's vm contexts) a `Math.f` lookup in a hot loop is not folded,
// and each call then boxes its argument.
const { fround, sqrt } = Math;

const FIELDS: readonly Field[] = [
  { name: "eta", default: 0.001, check: "rate" },
  { name: "beta", default: [0.9, 0.999], check: "beta" },
  { name: "epsilon", default: 1e-8, check: "real" },
];

/** First and second moments, and the bias-correction powers (β₁ᵗ, β₂ᵗ). */
export interface AdamState {
  readonly mt: NdArray;
  readonly vt: NdArray;
  readonly betat: FloatArray;
}

class AdamRule extends HyperRule<AdamState> {
  declare readonly eta: number;
  declare readonly beta: Pair;
  declare readonly epsilon: number;
  get kind(): string { return "Adam"; }
  get fields(): readonly Field[] { return FIELDS; }

  init(x: NdArray): AdamState {
    return { mt: stateLike(x), vt: stateLike(x), betat: betaPowers(this.beta, floatKind(x) === "f32") };
  }

  /** η, β₁, β₂, ϵ, 1−β₁, 1−β₂ (β₁, β₂ at 1, 2: the layout `advancePowers` reads) */
  protected override coefficients(T: (v: number) => number): number[] {
    const b1 = T(this.beta[0]), b2 = T(this.beta[1]);
    return [T(this.eta), b1, b2, T(this.epsilon), T(1 - b1), T(1 - b2)];
  }

  apply(s: AdamState, x: FloatArray, xo: number, g: FloatArray, go: number, n: number, out: FloatArray | null, f32: boolean): boolean {
    const k = f32 ? this.k32 : this.k64;
    const eta = k[0]!, b1 = k[1]!, b2 = k[2]!, eps = k[3]!, a1 = k[4]!, a2 = k[5]!;
    const mt = s.mt.data as FloatArray, vt = s.vt.data as FloatArray, bt = s.betat;
    const c1 = f32 ? fround(1 - bt[0]!) : 1 - bt[0]!, c2 = f32 ? fround(1 - bt[1]!) : 1 - bt[1]!;
    if (f32 && out === null && adamInWasm(x, xo, g, go, mt, vt, n, k, c1, c2)) {
      advancePowers(bt, k);
      return true;
    }
    for (let i = 0; i < n; i++) {
      const gi = g[go + i]!;
      // m ← β₁m + (1−β₁)g ;  v ← β₂v + (1−β₂)g² ;  dx′ = m/(1−β₁ᵗ) / (√(v/(1−β₂ᵗ)) + ϵ) · η
      mt[i] = b1 * mt[i]! + a1 * gi;
      vt[i] = b2 * vt[i]! + a2 * gi * gi;
      const d = (mt[i]! / c1 / (sqrt(vt[i]! / c2) + eps)) * eta;
      if (out === null) x[xo + i] = x[xo + i]! - d; else out[i] = d;
    }
    advancePowers(bt, k);
    return true;
  }
}

/**
 * The same step in WebAssembly SIMD (Float32 arithmetic, 28 bytes an element in one pass) when every
 * array lives in the WebAssembly heap; false when one does not, and the JS loop runs instead.
 */
function adamInWasm(x: FloatArray, xo: number, g: FloatArray, go: number, mt: FloatArray, vt: FloatArray, n: number, k: ArrayLike<number>, c1: number, c2: number): boolean {
  const px = heapOffset(x, xo), pg = heapOffset(g, go), pm = heapOffset(mt, 0), pv = heapOffset(vt, 0);
  if (px < 0 || pg < 0 || pm < 0 || pv < 0) return false;
  wasmAdamF32(px, pg, pm, pv, n, k[0]!, k[1]!, k[2]!, k[3]!, k[4]!, k[5]!, c1, c2);
  return true;
}

export type Adam = AdamRule;

/**
 * Adam with learning rate `eta` (0.001), moment decays `beta` ([0.9, 0.999]) and `epsilon` (1e-8), added
 * outside the square root of the bias-corrected second moment.
 * @example
 * String(Adam())   // "Adam(eta=0.001, beta=(0.9, 0.999), epsilon=1.0e-8)"
 */
export function Adam(
  ...args: [eta?: number, beta?: Pair, epsilon?: number] | [options: { eta?: number; beta?: Pair; epsilon?: number }]
): Adam {
  return new AdamRule(parseArgs("Adam", FIELDS, args));
}
