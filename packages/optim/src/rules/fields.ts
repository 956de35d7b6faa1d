/**
 * A rule's hyperparameters, declared once: `[rate("eta", 0.001), betas("beta", [0.9, 0.999]), real("epsilon", 1e-8)]`.
 * The declaration gives the defaults, the validation, the positional order, the printing, and (through the
 * types below) the rule's constructor signature and fields. Flags are keyword-only, as in Optimisers.jl.
 */
import { HyperparameterError } from "../errors";

/** Two numbers, as Julia's `(0.9, 0.999)`. */
export type Pair = readonly [number, number];
/** The value of a hyperparameter: a number, a flag or a pair. */
export type HyperValue = number | boolean | Pair;

/**
 * How a field is validated: `rate` is a learning rate (a finite number >= 0), `decay` a factor in [0, 1),
 * `nonneg` a finite number >= 0 (epsilons, weight decay, thresholds), `norm` the p of a p-norm (> 0,
 * Inf allowed), `real` any number but NaN, `beta` a pair in [0, 1), `pair` two numbers, `flag` a
 * boolean, `count` a positive integer.
 */
export type FieldCheck = "rate" | "decay" | "nonneg" | "norm" | "real" | "beta" | "pair" | "flag" | "count";

/**
 * One hyperparameter: its name `N`, value type `V`, whether it must be given (`R`), and the other spellings
 * `A` its options key accepts (`centered` for `centred`).
 */
export interface Field<N extends string = string, V extends HyperValue = HyperValue, R extends boolean = boolean, A extends string = string> {
  readonly name: N;
  readonly default: V;
  readonly check: FieldCheck;
  readonly required: R;
  readonly aliases: readonly A[];
  /** May not be changed by `adjust` (RMSProp's `centred`: the variants store different states). */
  readonly fixed: boolean;
}

type Optional<N extends string, V extends HyperValue> = Field<N, V, false, never>;
const field = <N extends string, V extends HyperValue>(name: N, value: V, check: FieldCheck): Optional<N, V> =>
  Object.freeze({ name, default: value, check, required: false, aliases: [], fixed: false });

/** A learning rate (a number >= 0). */
export const rate = <N extends string>(name: N, value: number): Optional<N, number> => field(name, value, "rate");
/** A decay factor in [0, 1) (momentum's ρ). */
export const decay = <N extends string>(name: N, value: number): Optional<N, number> => field(name, value, "decay");
/** A finite number >= 0 (an epsilon, a weight decay, a threshold). */
export const nonneg = <N extends string>(name: N, value: number): Optional<N, number> => field(name, value, "nonneg");
/** The p of a p-norm: > 0, Inf allowed. */
export const norm = <N extends string>(name: N, value: number): Optional<N, number> => field(name, value, "norm");
/** Any number but NaN. */
export const real = <N extends string>(name: N, value: number): Optional<N, number> => field(name, value, "real");
/** Two decay rates, each in [0, 1). */
export const betas = <N extends string>(name: N, value: Pair): Optional<N, Pair> => field(name, value, "beta");
/** Two numbers. */
export const pair = <N extends string>(name: N, value: Pair): Optional<N, Pair> => field(name, value, "pair");
/** A positive integer that must be given (AccumGrad's `n`). */
export const count = <N extends string>(name: N): Field<N, number, true, never> =>
  Object.freeze({ name, default: 0, check: "count", required: true, aliases: [], fixed: false });
/** A keyword-only boolean option; `fixed` ones cannot be changed by `adjust`. */
export function flag<N extends string, A extends string = never>(
  name: N, value: boolean, options: { aliases?: readonly A[]; fixed?: boolean } = {},
): Field<N, boolean, false, A> {
  return Object.freeze({ name, default: value, check: "flag", required: false, aliases: options.aliases ?? [], fixed: options.fixed === true });
}

type AnyField = Field<string, HyperValue, boolean, string>;
/** A rule's field list, in Optimisers.jl's order. */
export type Fields = readonly AnyField[];

/** The hyperparameter values of a rule with these fields, by name: `{ eta: number; beta: Pair; ... }`. */
export type Hyper<F extends Fields> = { readonly [X in F[number] as X["name"]]: X["default"] };

type PositionalArgs<F> = F extends readonly [infer H, ...infer Rest]
  ? H extends Field<string, boolean> ? PositionalArgs<Rest>
    : H extends Field<string, infer V, true> ? [V, ...PositionalArgs<Rest>]
    : H extends Field<string, infer V> ? [V?, ...PositionalArgs<Rest>] : never
  : [];
type Aliased<F extends Fields> = { [X in F[number] as X["aliases"][number]]?: X["default"] };
type FlagOptions<F extends Fields> = { [X in F[number] as X["default"] extends boolean ? X["name"] : never]?: boolean } & Aliased<F>;
type KeywordTail<F extends Fields> = [Extract<F[number]["default"], boolean>] extends [never] ? [] : [options?: FlagOptions<F>];

/** Every field by name, required ones required: the single-options-object form `Adam({ eta: 0.01 })`. */
export type Options<F extends Fields> =
  { [X in F[number] as X["required"] extends true ? X["name"] : never]: X["default"] } &
  { [X in F[number] as X["required"] extends true ? never : X["name"]]?: X["default"] } & Aliased<F>;

/** A rule constructor's arguments: positional values then a trailing object of flags, or one options object. */
export type Args<F extends Fields> = [...PositionalArgs<F>, ...KeywordTail<F>] | [options: Options<F>];

function isOptions(x: unknown): x is Readonly<Record<string, unknown>> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function fail(kind: string, message: string): never {
  throw new HyperparameterError(`${kind}: ${message}`);
}

function validate(kind: string, f: AnyField, v: unknown): HyperValue {
  const show = (x: unknown): string => (Array.isArray(x) ? `[${x.join(", ")}]` : String(x));
  switch (f.check) {
    case "rate":
      if (typeof v !== "number" || Number.isNaN(v)) fail(kind, `${f.name} must be a number, got ${show(v)}`);
      if (v < 0) fail(kind, `the learning rate cannot be negative (${f.name} = ${v})`);
      if (!Number.isFinite(v)) fail(kind, `the learning rate must be finite (${f.name} = ${v})`);
      return v;
    case "decay":
      if (typeof v !== "number" || !(v >= 0 && v < 1)) fail(kind, `${f.name} must lie in [0, 1), got ${show(v)}`);
      return v;
    case "nonneg":
      if (typeof v !== "number" || !(v >= 0 && Number.isFinite(v))) fail(kind, `${f.name} must be a finite number >= 0, got ${show(v)}`);
      return v;
    case "norm":
      if (typeof v !== "number" || !(v > 0)) fail(kind, `${f.name} must be > 0 (Inf for the maximum norm), got ${show(v)}`);
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
      if (!Array.isArray(v) || v.length !== 2 || !v.every((b) => typeof b === "number" && !Number.isNaN(b))) {
        fail(kind, `${f.name} must be a pair of numbers [a, b], got ${show(v)}`);
      }
      const [a, b] = v as [number, number];
      if (f.check === "beta" && !(a >= 0 && a < 1 && b >= 0 && b < 1)) fail(kind, `each ${f.name} must lie in [0, 1), got ${f.name} = [${a}, ${b}]`);
      return Object.freeze([a, b] as const);
    }
  }
}

/** Validates every field's value (defaults filled in) and returns them by name. */
export function checked(kind: string, fields: Fields, given: ReadonlyMap<string, unknown>): Record<string, HyperValue> {
  const out: Record<string, HyperValue> = {};
  for (const f of fields) {
    const v = given.get(f.name);
    out[f.name] = validate(kind, f, v === undefined ? f.default : v);
  }
  return out;
}

/** The field an options key names, through aliases. */
export function fieldNamed(fields: Fields, key: string): AnyField | undefined {
  return fields.find((f) => f.name === key || f.aliases.includes(key));
}

/** Reads positional arguments, a trailing options object of flags, or a single options object. */
export function parseArgs(kind: string, fields: Fields, args: readonly unknown[]): Record<string, HyperValue> {
  const given = new Map<string, unknown>();
  const positional = fields.filter((f) => f.check !== "flag");
  const readOptions = (o: Readonly<Record<string, unknown>>, allowed: Fields): void => {
    for (const [k, v] of Object.entries(o)) {
      const f = fieldNamed(allowed, k);
      if (f === undefined) fail(kind, `unknown hyperparameter "${k}"; the fields are ${fields.map((x) => x.name).join(", ")}`);
      if (f.check === "flag" && given.get(f.name) === true) continue;  // centred | centered
      given.set(f.name, v);
    }
  };
  const first = args[0];
  if (args.length === 1 && isOptions(first)) readOptions(first, fields);
  else {
    const keywords = fields.filter((f) => f.check === "flag");
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
