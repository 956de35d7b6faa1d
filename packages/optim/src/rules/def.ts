/**
 * Optimisers.jl's `@def`: a rule is an immutable record of hyperparameters with defaults, built from
 * positional arguments (`Adam(0.01, [0.9, 0.999], 1e-8)`) or from one options object (`Adam({ eta: 0.01 })`),
 * validated on construction and on `adjust`, and printed as `Adam(eta=0.01, beta=(0.9, 0.999), epsilon=1.0e-8)`.
 */
import type { FloatArray, NdArray } from "@tsflux/graph";
import { HyperparameterError, OptimiserError } from "../errors";
import type { Rule } from "../rule";
import { juliaFloat, juliaTuple } from "../show/julia";

/** Two numbers, as Julia's `(0.9, 0.999)`. */
export type Pair = readonly [number, number];
export type HyperValue = number | boolean | Pair;

/**
 * How a field is validated: `rate` is a learning rate (a number >= 0), `real` any number but NaN, `beta`
 * a pair in [0, 1), `pair` two numbers, `flag` a boolean, `count` a positive integer.
 */
export type FieldCheck = "rate" | "real" | "beta" | "pair" | "flag" | "count";

export interface Field {
  readonly name: string;
  readonly default: HyperValue;
  readonly check: FieldCheck;
  /** Keyword-only in Optimisers.jl (`centred`, `couple`, `throw`): set through the trailing options object. */
  readonly keyword?: boolean;
  /** Other accepted spellings (`centered`). */
  readonly aliases?: readonly string[];
  /** May not be changed by `adjust` (RMSProp's `centred`: the variants store different states). */
  readonly fixed?: boolean;
}

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

function isOptions(x: unknown): x is Readonly<Record<string, unknown>> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function fail(kind: string, message: string): never {
  throw new HyperparameterError(`${kind}: ${message}`);
}

function validate(kind: string, f: Field, v: unknown): HyperValue {
  const show = (x: unknown): string => (Array.isArray(x) ? `[${x.join(", ")}]` : String(x));
  switch (f.check) {
    case "rate":
      if (typeof v !== "number" || Number.isNaN(v)) fail(kind, `${f.name} must be a number, got ${show(v)}`);
      if (v < 0) fail(kind, `the learning rate cannot be negative (${f.name} = ${v})`);
      return v;
    case "real":
      if (typeof v !== "number" || Number.isNaN(v)) fail(kind, `${f.name} must be a number, got ${show(v)}`);
      return v;
    case "flag":
      if (typeof v !== "boolean") fail(kind, `${f.name} must be true or false, got ${show(v)}`);
      return v;
    case "count":
      if (typeof v !== "number" || !Number.isInteger(v) || v < 1) fail(kind, `must accumulate at least one gradient (${f.name} = ${show(v)})`);
      return v;
    case "pair":
    case "beta": {
      const ok = Array.isArray(v) && v.length === 2 && v.every((b) => typeof b === "number" && !Number.isNaN(b));
      if (!ok) fail(kind, `${f.name} must be a pair of numbers [a, b], got ${show(v)}`);
      const pair = v as unknown as Pair;
      if (f.check === "beta" && !pair.every((b) => b >= 0 && b < 1)) {
        fail(kind, `each ${f.name} must lie in [0, 1), got ${f.name} = [${pair.join(", ")}]`);
      }
      return Object.freeze([pair[0], pair[1]]) as Pair;
    }
  }
}

/** Validates every field's value (defaults filled in) and returns them by name. */
function checked(kind: string, fields: readonly Field[], given: ReadonlyMap<string, unknown>): Record<string, HyperValue> {
  const out: Record<string, HyperValue> = {};
  for (const f of fields) {
    const v = given.get(f.name);
    out[f.name] = validate(kind, f, v === undefined ? f.default : v);
  }
  return out;
}

/** The field an options key names, through aliases. */
function fieldNamed(fields: readonly Field[], key: string): Field | undefined {
  return fields.find((f) => f.name === key || (f.aliases ?? []).includes(key));
}

/** Reads positional arguments, a trailing options object, or a single options object. */
export function parseArgs(kind: string, fields: readonly Field[], args: readonly unknown[]): Record<string, HyperValue> {
  const given = new Map<string, unknown>();
  const positional = fields.filter((f) => f.keyword !== true);
  const readOptions = (o: Readonly<Record<string, unknown>>, allowed: readonly Field[]): void => {
    for (const [k, v] of Object.entries(o)) {
      const f = fieldNamed(allowed, k);
      if (f === undefined) {
        fail(kind, `unknown hyperparameter "${k}"; the fields are ${fields.map((x) => x.name).join(", ")}`);
      }
      if (f.check === "flag" && given.get(f.name) === true) continue;  // centred | centered
      given.set(f.name, v);
    }
  };
  if (args.length === 1 && isOptions(args[0])) readOptions(args[0], fields);
  else {
    const keywords = fields.filter((f) => f.keyword === true);
    const limit = positional.length + (keywords.length > 0 ? 1 : 0);
    if (args.length > limit) fail(kind, `expected at most ${limit} arguments, got ${args.length}`);
    positional.forEach((f, i) => given.set(f.name, args[i]));
    const last = args[positional.length];
    if (last !== undefined) {
      if (!isOptions(last)) fail(kind, `expected an options object { ${keywords.map((f) => f.name).join(", ")} }, got ${String(last)}`);
      readOptions(last, keywords);
    }
  }
  return checked(kind, fields, given);
}

function showValue(f: Field, v: HyperValue): string {
  if (typeof v === "boolean") return String(v);
  if (typeof v === "number") return f.check === "count" ? String(v) : juliaFloat(v);
  return juliaTuple(v.map((b) => juliaFloat(b)));
}

/**
 * Base of every rule with named hyperparameters. The hyperparameters are the instance's own (frozen)
 * fields; `kind`, `fields` and the flags live on the prototype.
 */
export abstract class HyperRule<S> implements Rule<S> {
  /**
   * The scalar coefficients `apply` reads, in Float64 and in Float32 (Julia's `T(η)`, `T(1 - β₁)`...),
   * computed once here: typed-array loads in the hot loop, where a helper call returning a double could
   * box it (an allocation on every step).
   */
  declare protected readonly k64: Float64Array;
  declare protected readonly k32: Float32Array;

  constructor(values: Readonly<Record<string, HyperValue>>) {
    // `fields` is a prototype getter of the subclass, so it is already there while this constructor runs.
    const fields = (this as { readonly fields: readonly Field[] }).fields;
    for (const f of fields) Object.defineProperty(this, f.name, { value: values[f.name], enumerable: true });
    Object.defineProperty(this, "k64", { value: Float64Array.from(this.coefficients((v) => v)) });
    Object.defineProperty(this, "k32", { value: Float32Array.from(this.coefficients(Math.fround)) });
    Object.freeze(this);
  }

  /** The coefficients `apply` reads from `k64`/`k32`, each computed with `T` as Julia does in the rule's type. */
  protected coefficients(_T: (v: number) => number): number[] {
    return [];
  }

  abstract get kind(): string;
  /** The hyperparameters in Optimisers.jl's field order. */
  abstract get fields(): readonly Field[];
  get stateless(): boolean { return false; }
  get mayThrow(): boolean { return false; }
  get needsScratch(): boolean { return false; }
  /** `keyword` prints `Adam(eta=0.001, ...)` (the `@def` show); `positional` prints `Descent(0.1)`. */
  protected get printStyle(): "keyword" | "positional" { return "keyword"; }

  abstract init(x: NdArray): S;
  abstract apply(state: S, x: FloatArray, xo: number, g: FloatArray, go: number, n: number,
                 out: FloatArray | null, f32: boolean, scratch: FloatArray): boolean;

  check(_state: S, _x: FloatArray, _xo: number, _g: FloatArray, _go: number, _n: number, _f32: boolean, _buf: FloatArray): void {}

  /** The value of a hyperparameter by name. */
  protected value(name: string): HyperValue {
    return (this as unknown as Record<string, HyperValue>)[name]!;
  }

  adjust(change: number | Readonly<Record<string, unknown>>): Rule<S> {
    const given = new Map<string, unknown>(this.fields.map((f) => [f.name, this.value(f.name)]));
    const updates: Readonly<Record<string, unknown>> = typeof change === "number" ? { eta: change } : change;
    if (!isOptions(updates) || Object.keys(updates).length === 0) {
      throw new OptimiserError(`adjust: must be given something to act on (a learning rate or { field: value })`);
    }
    for (const [k, v] of Object.entries(updates)) {
      const f = fieldNamed(this.fields, k);
      if (f === undefined) continue;  // Optimisers.jl ignores names the rule does not have
      if (f.fixed === true) throw new OptimiserError(`adjust(${this.kind}; ${k}) is not allowed, as the variants store different states`);
      given.set(f.name, v);
    }
    const Ctor = this.constructor as new (values: Readonly<Record<string, HyperValue>>) => Rule<S>;
    return new Ctor(checked(this.kind, this.fields, given));
  }

  toString(): string {
    const parts = this.fields.map((f) => {
      const v = showValue(f, this.value(f.name));
      return this.printStyle === "keyword" ? `${f.name}=${v}` : v;
    });
    return `${this.kind}(${parts.join(", ")})`;
  }

  [INSPECT](): string {
    return this.toString();
  }
}
