/**
 * Name lookups for experiments written as JSON. A name from a file must match one of a table's own
 * entries: `table[name]` would also find what every object inherits (`constructor`, `toString`,
 * `__proto__`), and a file could then call `Object` or pass `toString` as an activation.
 */

/** `table[name]` when `name` is one of the table's own keys, else undefined. */
export function ownValue<T>(table: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(table, name) ? table[name] : undefined;
}
