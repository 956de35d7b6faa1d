/**
 * `defineRule`, tsflux's `Optimisers.@def` plus `init` and `apply!`: a rule declares its hyperparameters,
 * the coefficients its step reads, its state and its step formula, and gets the rest written once here:
 * the constructor (positional or options form, validated), the Float32/Float64 coefficients, the bias
 * correction of the Adam family, `adjust`, freezing, and Optimisers.jl's printing.
 */
import type { FloatArray, NdArray } from "@tsflux/graph";
import { OptimiserError } from "../errors";
import type { Rule } from "../rule";
import { juliaFloat, juliaTuple } from "../show/julia";
import type { Step } from "../step";
import { checked, fieldNamed, parseArgs, type Args, type Field, type Fields, type HyperValue, type Hyper, type Pair } from "./fields";

// Captured once: under some realms (Jest's vm contexts) a `Math.f` lookup in a hot loop is not folded,
// and each call then boxes its argument.
const { fround } = Math;
const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/** Julia's `T(v)`: the identity for Float64 parameters, `Math.fround` for Float32 ones. */
export type Rounding = (v: number) => number;

/** What a rule declares; `K` is its coefficients, `S` its per-array state. */
export interface RuleSpec<F extends Fields, K, S> {
  /** The name, as Optimisers.jl spells it. */
  readonly kind: string;
  /** The hyperparameters, in Optimisers.jl's field order (see fields.ts). */
  readonly hyper: F;
  /**
   * The numbers the step reads, computed once per element type with `T` (Julia's `T(η)`, `T(1 - β₁)`):
   * named, so the step reads `k.eta`, never a position. They live in one object per element type, so the
   * hot loop loads them rather than calling a helper that might box a double.
   */
  readonly coefficients: (h: Hyper<F>, T: Rounding) => K;
  /** The state for one parameter array (omitted: the rule is stateless and its state is `null`). */
  readonly init?: (x: NdArray, h: Hyper<F>) => S;
  /**
   * The Adam family's bias correction: the state's `betat` holds (β₁ᵗ, β₂ᵗ); before the step `s.c1` and
   * `s.c2` are set to T(1 − β₁ᵗ) and T(1 − β₂ᵗ), and after it `betat` is multiplied by the coefficients
   * (b1, b2), in the parameter's type. Checked when a rule is built and when its state is.
   */
  readonly biasCorrection?: boolean;
  /** The step: update `state` and `s.put(i, dx′)` every element; return false to make no step this time. */
  readonly step: (k: K, state: S, s: Step) => boolean | void;
  /** Throws what `step` would throw for this gradient, changing nothing (rules whose `mayThrow` is true). */
  readonly check?: (k: K, state: S, s: Step) => void;
  /** Whether `step` may throw, from the hyperparameters (ClipNorm's `throw`). */
  readonly mayThrow?: (h: Hyper<F>) => boolean;
  /** Print positionally, `Descent(0.1)`, rather than `Adam(eta=0.001, ...)`. */
  readonly printPositional?: boolean;
  /** Deprecated field names `adjust` still accepts, each with the field it means and the warning to print. */
  readonly renamed?: Readonly<Record<string, { readonly to: string; readonly warning: string }>>;
}

/** β₁, β₂, 1 − β₁, 1 − β₂ in T, as Julia's `T.(β)` and `(1 - β[1])` compute them: the Adam family's moments. */
export function moments(beta: Pair, T: Rounding): { readonly b1: number; readonly b2: number; readonly a1: number; readonly a2: number } {
  const b1 = T(beta[0]), b2 = T(beta[1]);
  return { b1, b2, a1: T(1 - b1), a2: T(1 - b2) };
}

/** A rule made by `defineRule`: its hyperparameters are its own frozen, enumerable fields. */
export class HyperRule<F extends Fields, K, S> implements Rule<S> {
  declare private readonly spec: RuleSpec<F, K, S>;
  /** The same hyperparameters as the rule's own fields, as one frozen object. */
  declare private readonly hyper: Hyper<F>;
  declare private readonly k64: K;
  declare private readonly k32: K;
  /** (β₁, β₂) in Float64 and in Float32, for rules with `biasCorrection`. */
  declare private readonly beta64: Pair;
  declare private readonly beta32: Pair;
  declare readonly mayThrow: boolean;

  constructor(spec: RuleSpec<F, K, S>, values: Hyper<F>) {
    for (const f of spec.hyper) Object.defineProperty(this, f.name, { value: values[f.name as keyof Hyper<F>], enumerable: true });
    const k64 = spec.coefficients(values, (v) => v), k32 = spec.coefficients(values, fround);
    const hidden: Record<string, unknown> = { spec, hyper: Object.freeze(values), k64, k32, mayThrow: spec.mayThrow?.(values) ?? false };
    if (spec.biasCorrection === true) {
      hidden["beta64"] = betasOf(spec.kind, k64);
      hidden["beta32"] = betasOf(spec.kind, k32);
    }
    for (const [name, value] of Object.entries(hidden)) Object.defineProperty(this, name, { value });
    Object.freeze(this);
  }

  get kind(): string { return this.spec.kind; }
  get stateless(): boolean { return this.spec.init === undefined; }
  get needsScratch(): boolean { return false; }

  init(x: NdArray): S {
    const init = this.spec.init;
    if (init === undefined) return null as S;
    const state = init(x, this.hyper);
    const betat = (state as { betat?: unknown }).betat;
    if (this.spec.biasCorrection === true && !(betat instanceof Float32Array || betat instanceof Float64Array)) {
      throw new OptimiserError(`${this.kind}: biasCorrection needs the state to hold betat (betaPowers)`);
    }
    return state;
  }

  apply(state: S, s: Step): boolean {
    const spec = this.spec, k = s.f32 ? this.k32 : this.k64;
    if (spec.biasCorrection !== true) return spec.step(k, state, s) !== false;
    const bt = (state as { readonly betat: FloatArray }).betat;
    const c1 = 1 - bt[0]!, c2 = 1 - bt[1]!;
    s.c1 = s.f32 ? fround(c1) : c1;
    s.c2 = s.f32 ? fround(c2) : c2;
    const stepped = spec.step(k, state, s) !== false;
    const beta = s.f32 ? this.beta32 : this.beta64;
    bt[0] = bt[0]! * beta[0];  // βt ← βt .* β
    bt[1] = bt[1]! * beta[1];
    return stepped;
  }

  check(state: S, s: Step): void {
    this.spec.check?.(s.f32 ? this.k32 : this.k64, state, s);
  }

  adjust(change: number | Readonly<Record<string, unknown>>): Rule<S> {
    const fields = this.spec.hyper, values: Readonly<Record<string, HyperValue>> = this.hyper;
    const given = new Map<string, unknown>(fields.map((f) => [f.name, values[f.name]]));
    const updates: Readonly<Record<string, unknown>> = typeof change === "number" ? { eta: change } : change;
    if (typeof updates !== "object" || updates === null || Array.isArray(updates) || Object.keys(updates).length === 0) {
      throw new OptimiserError(`adjust: must be given something to act on (a learning rate or { field: value })`);
    }
    for (const [key, v] of Object.entries(updates)) {
      const renamed = this.spec.renamed?.[key];
      if (renamed !== undefined) console.warn(renamed.warning);
      const f = fieldNamed(fields, renamed?.to ?? key);
      if (f === undefined) continue;  // Optimisers.jl ignores names the rule does not have
      if (f.fixed) throw new OptimiserError(`adjust(${this.kind}; ${key}) is not allowed, as the variants store different states`);
      given.set(f.name, v);
    }
    return new HyperRule(this.spec, checked(this.kind, fields, given) as Hyper<F>);
  }

  toString(): string {
    const values: Readonly<Record<string, HyperValue>> = this.hyper;
    const parts = this.spec.hyper.map((f) => {
      const v = showValue(f, values[f.name]!);
      return this.spec.printPositional === true ? v : `${f.name}=${v}`;
    });
    return `${this.kind}(${parts.join(", ")})`;
  }

  [INSPECT](): string {
    return this.toString();
  }
}

function betasOf(kind: string, k: unknown): Pair {
  const { b1, b2 } = k as { b1?: unknown; b2?: unknown };
  if (typeof b1 !== "number" || typeof b2 !== "number") throw new OptimiserError(`${kind}: biasCorrection needs coefficients b1 and b2`);
  return Object.freeze([b1, b2] as const);
}

function showValue(f: Field, v: HyperValue): string {
  if (typeof v === "boolean") return String(v);
  if (typeof v === "number") return f.check === "count" ? String(v) : juliaFloat(v);
  return juliaTuple(v.map((b) => juliaFloat(b)));
}

/** A rule constructor: `Adam()`, `Adam(0.01, [0.9, 0.99])`, `Adam({ eta: 0.01 })`. */
export type RuleFactory<F extends Fields, K, S> = (...args: Args<F>) => HyperRule<F, K, S> & Hyper<F>;

/**
 * Defines a rule from its declaration (see RuleSpec). The constructor it returns is named after the rule,
 * so `setup(Adam, model)` can suggest `Adam()`.
 * @example
 * export const Descent = defineRule({
 *   kind: "Descent", hyper: [rate("eta", 0.1)], coefficients: (h, T) => ({ eta: T(h.eta) }), printPositional: true,
 *   step({ eta }, _, s) { for (let i = 0; i < s.n; i++) s.put(i, s.g[s.go + i]! * eta); },  // dx′ = g·η
 * });
 */
export function defineRule<const F extends Fields, K, S = null>(spec: RuleSpec<F, K, S>): RuleFactory<F, K, S> {
  const make = (...args: Args<F>): HyperRule<F, K, S> & Hyper<F> =>
    new HyperRule(spec, parseArgs(spec.kind, spec.hyper, args) as Hyper<F>) as HyperRule<F, K, S> & Hyper<F>;
  Object.defineProperty(make, "name", { value: spec.kind });
  return make;
}
