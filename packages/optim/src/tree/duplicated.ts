/**
 * Duplicated models, recognised by duck typing (the class lives in @tsflux/enzyme-compat, which depends on
 * this package): an object with `val` and `dval` marked with `Symbol.for("tsflux.duplicated")`.
 */
const DUPLICATED = Symbol.for("tsflux.duplicated");

/** A model and its shadow (the gradient accumulated by reverse mode). */
export interface DuplicatedLike<T = unknown> {
  readonly val: T;
  readonly dval: T;
}

/** True for an enzyme-compat `Duplicated`. */
export function isDuplicated(x: unknown): x is DuplicatedLike {
  return typeof x === "object" && x !== null && "val" in x && "dval" in x
    && (x as Record<symbol, unknown>)[DUPLICATED] === true;
}
