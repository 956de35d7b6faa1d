/**
 * How a value takes part in Flux-style printing. Layers implement these symbol-keyed methods (on the
 * prototype, so they never become children of the model tree); any user class may implement them too.
 */

/** The one-line form (Flux's two-argument `show`): `Dense(784 => 32, σ)`. */
export const showCompact: unique symbol = Symbol.for("tsflux.showCompact");

/**
 * The children the multi-line form lists, named or not; `null` keeps the value on one line however
 * deep it is (Flux's `@layer :noexpand`, e.g. LayerNorm).
 */
export const showChildren: unique symbol = Symbol.for("tsflux.showChildren");

/** One child in the multi-line form: `name = value` when named. */
export interface ShowChild {
  readonly name?: string;
  readonly value: unknown;
}

/** What prints as Flux prints: a one-line form and, for containers, the children. */
export interface Showable {
  [showCompact](): string;
  [showChildren]?(): readonly ShowChild[] | null;
}

export function hasShowCompact(x: unknown): x is Showable {
  return typeof x === "object" && x !== null && typeof (x as Partial<Showable>)[showCompact] === "function";
}

export function hasShowChildren(x: unknown): x is Required<Showable> {
  return typeof x === "object" && x !== null && typeof (x as Partial<Showable>)[showChildren] === "function";
}
