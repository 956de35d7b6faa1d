/**
 * The rule contract (Optimisers.jl's `AbstractRule`): hyperparameters, `init` for the per-array state and
 * `apply` for one step. The tree machinery (setup, update, adjust, freeze) is written once, in `tree/`.
 */
import type { FloatArray, NdArray } from "@tsflux/graph";

/**
 * An optimisation rule. `apply` is the whole step for one parameter array, as one fused loop over flat
 * typed arrays in the parameter's kernel order (see `layout.ts`):
 *
 * - it reads the gradient `g[go .. go+n)` and the parameter `x[xo .. xo+n)`, and updates `state` in place;
 * - with `out === null` it subtracts its step from the parameter (`x[xo+i] -= dx′ᵢ`); otherwise it writes
 *   the step to `out[0 .. n)` and leaves `x` alone (an OptimiserChain member passing its result on);
 *   `out` may be the same buffer as `g`, so each element is read before it is written;
 * - it returns false when it makes no step this time (AccumGrad between its emissions);
 * - `f32` says the parameter is Float32: hyperparameters are rounded to Float32 first (Julia's `T(η)`);
 * - `scratch` (at least n elements, of the parameter's type) is scratch space for rules made of stages
 *   (OptimiserChain); `out` is such a buffer too.
 *
 * A faster `apply` (e.g. WebAssembly SIMD for Adam) only has to keep this contract.
 */
export interface Rule<S = unknown> {
  /** The rule's name as Optimisers.jl spells it, e.g. "Adam". */
  readonly kind: string;
  /** True when `apply` never changes its state: the rule only transforms the gradient. */
  readonly stateless: boolean;
  /** True when `apply` can throw on some gradients; `check` then raises the same error, changing nothing. */
  readonly mayThrow: boolean;
  /** True when `apply` needs the `scratch` buffer. */
  readonly needsScratch: boolean;
  /** The state for one parameter array, allocated once (state arrays share the parameter's kernel order). */
  init(x: NdArray): S;
  /** One step for one parameter array (contract above). */
  apply(state: S, x: FloatArray, xo: number, g: FloatArray, go: number, n: number,
        out: FloatArray | null, f32: boolean, scratch: FloatArray): boolean;
  /** Throws what `apply` would throw for this gradient, changing nothing; may overwrite `buf` (n elements). */
  check(state: S, x: FloatArray, xo: number, g: FloatArray, go: number, n: number, f32: boolean, buf: FloatArray): void;
  /** A copy with a new learning rate, or with the named hyperparameters changed (unknown names are ignored). */
  adjust(change: number | Readonly<Record<string, unknown>>): Rule<S>;
  /** Optimisers.jl's printing, e.g. `Adam(eta=0.001, beta=(0.9, 0.999), epsilon=1.0e-8)`. */
  toString(): string;
}

/** Optimisers.jl calls rules "optimisers" too. */
export type Optimiser<S = unknown> = Rule<S>;

/** True for objects that implement the rule contract. */
export function isRule(x: unknown): x is Rule {
  if (typeof x !== "object" || x === null) return false;
  const r = x as Partial<Rule>;
  return typeof r.kind === "string" && typeof r.init === "function" && typeof r.apply === "function" && typeof r.adjust === "function";
}
