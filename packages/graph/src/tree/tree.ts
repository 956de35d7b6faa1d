/**
 * A small functor-style walker over plain objects, arrays and class instances (layers), with ndarrays
 * as leaves. Shared arrays are visited once, and `fmap` keeps them shared (tied weights stay tied).
 */
import { isNdarray, type NdArray } from "../ndarray-util";
import { isFloat } from "../dtype";
import { dtypeOfArray } from "../dtype";
import { Tensor } from "../tensor";

/** A layer may restrict which children are trainable, as Flux's `trainable`. */
export interface HasTrainable {
  trainable(): Record<string, unknown>;
}

function hasTrainable(x: object): x is HasTrainable {
  return typeof (x as Partial<HasTrainable>).trainable === "function";
}

/** Objects whose fields are walked: plain objects, arrays and class instances (not ndarrays, tensors or functions). */
export function isNode(x: unknown): x is object {
  return typeof x === "object" && x !== null && !isNdarray(x) && !(x instanceof Tensor) && !ArrayBuffer.isView(x);
}

/** The children of a node as [key, value] pairs; with `trainable`, only those a layer marks trainable. */
export function childrenOf(x: object, opts: { trainable?: boolean } = {}): [string | number, unknown][] {
  if (Array.isArray(x)) return x.map((v, i) => [i, v]);
  const source = opts.trainable && hasTrainable(x) ? x.trainable() : x;
  return Object.entries(source);
}

export function childPath(path: string, key: string | number): string {
  return typeof key === "number" ? `${path}[${key}]` : `${path}.${key}`;
}

/** A float array that can be differentiated and trained. */
export function isFloatArray(x: unknown): x is NdArray {
  if (!isNdarray(x)) return false;
  const d = dtypeOfArray(x.data);
  return d !== undefined && isFloat(d);
}

/** An array inside a tree (a model or a gradient), with its path and the node that holds it. */
export interface Leaf {
  readonly path: string;
  readonly value: NdArray;
  /** The node holding the array and its key there (`parent[key] === value`). */
  readonly parent: object | undefined;
  readonly key: string | number | undefined;
}

/** Every ndarray in `x` with its path, each array once (the first path it is found at). */
export function leaves(x: unknown, opts: { trainable?: boolean; floatOnly?: boolean } = {}): Leaf[] {
  const out: Leaf[] = [];
  const seen = new Set<unknown>();
  const walk = (v: unknown, path: string, parent: object | undefined, key: string | number | undefined): void => {
    if (isNdarray(v)) {
      if (seen.has(v) || (opts.floatOnly && !isFloatArray(v))) return;
      seen.add(v);
      out.push({ path, value: v, parent, key });
      return;
    }
    if (!isNode(v) || seen.has(v)) return;
    seen.add(v);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) walk(v[i], `${path}[${i}]`, v, i);
      return;
    }
    const source = (opts.trainable && hasTrainable(v) ? v.trainable() : v) as Record<string, unknown>;
    const keys = Object.keys(source);
    for (let i = 0; i < keys.length; i++) walk(source[keys[i]!], `${path}.${keys[i]}`, v, keys[i]);
  };
  walk(x, "", undefined, undefined);
  return out;
}

/**
 * Maps every ndarray leaf of `x` through `f`, rebuilding nodes with the same prototype (so a Chain
 * stays a Chain). Identical arrays and nodes map to identical results. Other values are kept as is.
 */
export function fmap(f: (leaf: NdArray, path: string) => unknown, x: unknown): unknown {
  const cache = new Map<unknown, unknown>();
  const walk = (v: unknown, path: string): unknown => {
    if (cache.has(v)) return cache.get(v);
    if (isNdarray(v)) {
      const r = f(v, path);
      cache.set(v, r);
      return r;
    }
    if (!isNode(v)) return v;
    const copy: Record<string | number, unknown> = Array.isArray(v) ? [] : Object.create(Object.getPrototypeOf(v));
    cache.set(v, copy);
    for (const [k, c] of childrenOf(v)) copy[k] = walk(c, childPath(path, k));
    return copy;
  };
  return walk(x, "");
}

const functionIds = new WeakMap<object, number>();

/** A stable identity number for a function (two different closures never share one). */
export function functionId(f: object): number {
  let id = functionIds.get(f);
  if (id === undefined) {
    id = nextFunctionId++;
    functionIds.set(f, id);
  }
  return id;
}
let nextFunctionId = 1;

/**
 * A string that identifies the structure of `x`: node types and keys, array shapes and dtypes, and
 * the positions of shared arrays; numbers and functions are part of it by value and identity name.
 */
export function structure(x: unknown): string {
  const ids = new Map<unknown, number>();
  const walk = (v: unknown): string => {
    if (ids.has(v)) return `@${ids.get(v)}`;
    if (isNdarray(v)) {
      ids.set(v, ids.size);
      return `${dtypeOfArray(v.data) ?? "?"}[${v.shape.join(",")}]`;
    }
    if (v instanceof Tensor) return v.isSymbolic ? `sym:${v.dtype}[${v.shape.join(",")}]` : walk(v.toNdarray());
    if (typeof v === "number") return `n${v}`;
    if (typeof v === "function") return `f:${v.name}#${functionId(v)}`;
    if (!isNode(v)) return `${typeof v}:${String(v)}`;
    ids.set(v, ids.size);
    const name = Array.isArray(v) ? "" : (Object.getPrototypeOf(v)?.constructor?.name ?? "");
    return `${name}{${childrenOf(v).map(([k, c]) => `${k}:${walk(c)}`).join(",")}}`;
  };
  return walk(x);
}
