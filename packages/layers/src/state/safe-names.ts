/**
 * Names a state file may not use. Tensor names are dotted paths (`layers.0.weight`) that loading turns
 * into object keys; `__proto__`, `constructor` and `prototype` as keys reach or replace an object's
 * prototype, so a crafted file could change every object of the program. They are refused on save and load.
 */

const UNSAFE_KEYS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** True for a key that reaches an object's prototype when written into a plain object. */
export function isUnsafeKey(key: string): boolean {
  return UNSAFE_KEYS.has(key);
}

/** The first segment of a dotted tensor name that is an unsafe key, or undefined when there is none. */
export function unsafeSegment(name: string): string | undefined {
  return name.split(".").find(isUnsafeKey);
}
