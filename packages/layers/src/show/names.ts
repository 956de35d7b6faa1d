/** Names functions print with inside a model: Flux's names (`σ` for sigmoid, `+` for add). */
import { add, sub } from "@tsflux/graph";

/** A function, or a class (its constructor). */
export type NamedFunction = ((...args: never[]) => unknown) | (abstract new (...args: never[]) => unknown);

const displayNames = new WeakMap<object, string>();

/** Makes `f` print as `name` inside models (`Dense(2 => 3, σ)`); returns `f`. */
export function setDisplayName<F extends NamedFunction>(f: F, name: string): F {
  displayNames.set(f, name);
  return f;
}

/** The name `f` prints with: a registered name, else its JS name, else `#anonymous`. */
export function functionName(f: { readonly name: string }): string {
  return displayNames.get(f) ?? (f.name || "#anonymous");
}

setDisplayName(add, "+");
setDisplayName(sub, "-");
