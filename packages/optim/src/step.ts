/**
 * The arrays of one step for one parameter, handed to a rule's `apply` in place of positional arguments.
 * `update` keeps one Step per state tree and refills it for each Leaf, so a warm step allocates nothing.
 */
import type { FloatArray } from "@tsflux/graph";

const EMPTY = new Float64Array(0);

/**
 * What a rule sees while it steps one parameter array, in the parameter's kernel order (see `layout.ts`):
 * the gradient `g[go .. go+n)`, the parameter `x[xo .. xo+n)`, and where its step goes (`put`).
 */
export class Step {
  /** The parameter: element i is `x[xo + i]`. */
  x: FloatArray = EMPTY;
  xo = 0;
  /** The gradient (or the step of the previous rule of a chain): element i is `g[go + i]`. */
  g: FloatArray = EMPTY;
  go = 0;
  /** Number of elements. */
  n = 0;
  /**
   * null: `put` subtracts the step from the parameter. Otherwise `put` writes it to `out[i]` and leaves `x`
   * alone (an OptimiserChain member passing its step on); `out` may be `g` itself, so a rule reads element i
   * of `g` before it puts element i.
   */
  out: FloatArray | null = null;
  /** True for a Float32 parameter: the rule's coefficients are the Float32 ones (Julia's `T(η)`). */
  f32 = false;
  /** At least n elements of the parameter's type, for rules made of stages (OptimiserChain). */
  scratch: FloatArray = EMPTY;
  /** Bias corrections `1 − β₁ᵗ` and `1 − β₂ᵗ` in the parameter's type, set before the step of a rule with βt. */
  c1 = Number.NaN;
  c2 = Number.NaN;

  /** Element i of the step dx′: `x[xo+i] -= d`, or `out[i] = d` inside a chain. */
  put(i: number, d: number): void {
    const out = this.out;
    if (out === null) this.x[this.xo + i] = this.x[this.xo + i]! - d;
    else out[i] = d;
  }

  /** Points the step at a parameter and its gradient, with no `out` (the step is subtracted from x). */
  reset(x: FloatArray, xo: number, g: FloatArray, go: number, n: number, f32: boolean, scratch: FloatArray): void {
    this.x = x;
    this.xo = xo;
    this.g = g;
    this.go = go;
    this.n = n;
    this.out = null;
    this.f32 = f32;
    this.scratch = scratch;
  }
}
