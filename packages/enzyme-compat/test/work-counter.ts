/**
 * Counts the elementary work a function does, without a clock: every element an Array method visits
 * (searches, callbacks, splice shifts, sorts, spreads and for-of loops) and every Map/Set operation or
 * iteration step. A pass that searches a list per node, or rebuilds a map per node, shows up as work
 * growing with the square of the graph. It replaces builtins while `fn` runs, so it belongs in a
 * process of its own (compile-work-child.ts), never inside the test runner's.
 */

type AnyFn = (this: unknown, ...args: unknown[]) => unknown;

let work = 0;

const perElement = [
  "indexOf", "lastIndexOf", "includes", "find", "findIndex", "findLast", "findLastIndex", "some", "every", "forEach",
  "map", "filter", "reduce", "reduceRight", "flatMap", "flat", "fill", "join", "reverse", "copyWithin",
] as const;

function patch<T extends object>(target: T, name: PropertyKey, cost: (self: unknown, args: unknown[], result: unknown) => number): () => void {
  const original = (target as Record<PropertyKey, AnyFn>)[name]!;
  Object.defineProperty(target, name, {
    configurable: true, writable: true,
    value: function (this: unknown, ...args: unknown[]) {
      const result = original.apply(this, args);
      work += cost(this, args, result);
      return result;
    },
  });
  return () => Object.defineProperty(target, name, { configurable: true, writable: true, value: original });
}

const lengthOf = (self: unknown) => (self as { length: number }).length;

/** Wraps an iterator-returning method so that every step of the iterator counts one. */
function patchIterator<T extends object>(target: T, name: PropertyKey): () => void {
  const original = (target as Record<PropertyKey, AnyFn>)[name]!;
  Object.defineProperty(target, name, {
    configurable: true, writable: true,
    value: function (this: unknown, ...args: unknown[]) {
      const it = original.apply(this, args) as Iterator<unknown>;
      return {
        next: () => {
          work++;
          return it.next();
        },
        [Symbol.iterator]() {
          return this;
        },
      };
    },
  });
  return () => Object.defineProperty(target, name, { configurable: true, writable: true, value: original });
}

/** The work units `fn` performs (see the file's header), and its result. */
export function countWork<T>(fn: () => T): { work: number; result: T } {
  const restore: (() => void)[] = [];
  try {
    for (const name of perElement) restore.push(patch(Array.prototype, name, lengthOf));
    restore.push(patch(Array.prototype, "slice", (_s, _a, r) => lengthOf(r)));
    restore.push(patch(Array.prototype, "concat", (_s, _a, r) => lengthOf(r)));
    restore.push(patch(Array.prototype, "splice", (self, args) => lengthOf(self) + Math.max(0, args.length - 2)));
    restore.push(patch(Array.prototype, "sort", (self) => lengthOf(self) * Math.ceil(Math.log2(lengthOf(self) + 1))));
    for (const Ctor of [Map, Set] as const) {
      for (const name of ["get", "has", "set", "add", "delete"]) if (name in Ctor.prototype) restore.push(patch(Ctor.prototype, name, () => 1));
      for (const name of [Symbol.iterator, "entries", "keys", "values"]) restore.push(patchIterator(Ctor.prototype, name));
      restore.push(patch(Ctor.prototype, "forEach", (self) => (self as { size: number }).size));
    }
    restore.push(patchIterator(Array.prototype, Symbol.iterator));
    work = 0;
    const result = fn();
    return { work, result };
  } finally {
    for (const r of restore.reverse()) r();
  }
}
