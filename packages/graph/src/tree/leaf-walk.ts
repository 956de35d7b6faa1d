/**
 * The walk tracing makes over an argument's arrays on every call, so it allocates almost nothing: depth
 * first in the order `leaves` uses (own enumerable keys, array elements by index), each array reported
 * at the first path it is found at by the visitor, and paths interned, so that one place in a model
 * gives the same string object on every call (a kept trace compares paths by identity first).
 */
import { isNdarray, type NdArray } from "../ndarray-util";
import { isNode } from "./tree";

/** Interned child paths: parent path -> key -> `parent.key` or `parent[i]`. */
const childPaths = new Map<string, Map<string | number, string>>();
/** Parent paths kept before the table starts afresh (a bound for programs that walk ever new trees). */
const MAX_PARENTS = 100_000;

/** The path of child `key` under `parent`, the same string object every time. */
function internedChildPath(parent: string, key: string | number): string {
  let children = childPaths.get(parent);
  if (children === undefined) {
    if (childPaths.size >= MAX_PARENTS) childPaths.clear();
    childPaths.set(parent, (children = new Map()));
  }
  let path = children.get(key);
  if (path === undefined) children.set(key, (path = typeof key === "number" ? `${parent}[${key}]` : `${parent}.${key}`));
  return path;
}

/**
 * Calls `visit(array, path)` for every ndarray inside `x`, depth first. A node met again below itself
 * (a cycle) is skipped; a node shared by two places is walked at both, so the visitor sees an array
 * again and keeps the first path it saw.
 */
export function forEachArrayLeaf(x: object, visit: (array: NdArray, path: string) => void): void {
  const ancestors: object[] = [];
  const walk = (v: unknown, path: string): void => {
    if (isNdarray(v)) {
      visit(v, path);
      return;
    }
    if (!isNode(v) || ancestors.includes(v)) return;
    ancestors.push(v);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) walk(v[i], internedChildPath(path, i));
    } else {
      const keys = Object.keys(v);
      for (let i = 0; i < keys.length; i++) walk((v as Record<string, unknown>)[keys[i]!], internedChildPath(path, keys[i]!));
    }
    ancestors.pop();
  };
  walk(x, "");
}
