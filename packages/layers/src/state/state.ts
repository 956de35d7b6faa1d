/**
 * Flux's `state` and `loadmodel!` (without the `!`: it mutates). A model's state is a tree of plain
 * objects and JS arrays mirroring the model's children, holding the model's arrays themselves (not
 * copies), its numbers, booleans and strings, and `null` where the model holds a function. Loading
 * copies the arrays of a state (or of another model) into the model's arrays, in place.
 */
import { Tensor, assign, childrenOf, isColMajorContiguous, isNdarray, numel, type NdArray } from "@tsflux/graph";
import { dtypeOf, sizeStr } from "../arrays";
import { isTreeNode } from "../tree";
import { StateMismatchError } from "../errors";

/** A model's state: arrays, numbers, booleans, strings and null, in plain objects and JS arrays. */
export type StateTree = NdArray | number | boolean | string | null | StateTree[] | { [key: string]: StateTree };

/**
 * The state of `model` (Flux's `Flux.state`): every child, trainable or not, with functions as `null`.
 * The arrays are the model's own; copy them (or save them with `savestate`) to keep a snapshot. The
 * state of a `Duplicated(model)` is the state of the model, as in Flux.
 *
 * @example
 * state(Dense(2, 1, relu));  // { weight: <f32 [1, 2]>, bias: <f32 [1]>, activation: null }
 */
export function state(model: unknown): StateTree {
  if (isDuplicated(model)) return state(model.val);
  const done = new Map<object, StateTree>();
  const walk = (x: unknown): StateTree => {
    if (isNdarray(x)) return x;
    if (x instanceof Tensor) return x.toNdarray();
    if (typeof x === "number" || typeof x === "boolean" || typeof x === "string") return x;
    if (!isTreeNode(x)) return null;
    const known = done.get(x);
    if (known !== undefined) return known;
    const out: StateTree = Array.isArray(x) ? [] : {};
    done.set(x, out);
    for (const [key, child] of childrenOf(x)) (out as Record<string | number, StateTree>)[key] = walk(child);
    return out;
  };
  return walk(model);
}

const DUPLICATED = Symbol.for("tsflux.duplicated");

/** An enzyme-compat `Duplicated` (that package depends on this one, so it is recognised by its mark). */
function isDuplicated(x: unknown): x is { readonly val: unknown } {
  return typeof x === "object" && x !== null && (x as Record<symbol, unknown>)[DUPLICATED] === true;
}

function describe(x: unknown): string {
  if (isNdarray(x)) return `an ${dtypeOf(x) ?? "untyped"} array of size ${sizeStr(x.shape)}`;
  if (Array.isArray(x)) return `a list of ${x.length}`;
  if (isTreeNode(x)) return `an object with keys {${Object.keys(x).join(", ")}}`;
  return x === null ? "null" : typeof x === "function" ? "a function" : JSON.stringify(x);
}

function keyPath(path: string, key: string | number): string {
  return typeof key === "number" ? `${path}[${key}]` : `${path}.${key}`;
}

/** Pairs each array of `model` with the array of `source` that loads into it; throws on the first mismatch. */
function pairArrays(model: unknown, source: StateTree): [NdArray, NdArray][] {
  const pairs: [NdArray, NdArray][] = [];
  const seen = new Set<unknown>();
  const walk = (dst: unknown, src: StateTree, path: string): void => {
    if (isNdarray(dst)) {
      if (!isNdarray(src)) throw new StateMismatchError(path, "structure", `the model has ${describe(dst)}, the state has ${describe(src)}`);
      const [want, got] = [dtypeOf(dst), dtypeOf(src)];
      if (want !== got) throw new StateMismatchError(path, "dtype", `the model has element type ${want ?? "?"}, the state has ${got ?? "?"} (convert with f32/f64 first)`);
      if (dst.shape.length !== src.shape.length || dst.shape.some((d, i) => d !== src.shape[i])) {
        throw new StateMismatchError(path, "shape", `tried to load an array of size ${sizeStr(src.shape)} into one of size ${sizeStr(dst.shape)}`);
      }
      if (!seen.has(dst)) pairs.push([dst, src]);
      seen.add(dst);
      return;
    }
    if (!isTreeNode(dst)) {
      // numbers, flags and functions are not loaded and need not match (as in Flux), but an array may not stand there
      if (isNdarray(src) || isTreeNode(src)) throw new StateMismatchError(path, "structure", `the model has ${describe(dst)}, the state has ${describe(src)}`);
      return;
    }
    if (seen.has(dst)) return;
    seen.add(dst);
    const children = childrenOf(dst);
    if (Array.isArray(dst) !== Array.isArray(src) || !isTreeNode(src)) {
      throw new StateMismatchError(path, "structure", `the model has ${describe(dst)}, the state has ${describe(src)}`);
    }
    const srcKeys = Object.keys(src).map((k) => (Array.isArray(src) ? Number(k) : k));
    const dstKeys = children.map(([k]) => k);
    // the state may leave out functions, numbers and flags (files written by other tools), not arrays or containers
    const missing = children.filter(([k, c]) => !srcKeys.includes(k) && (isNdarray(c) || isTreeNode(c))).map(([k]) => k);
    const extra = srcKeys.filter((k) => !dstKeys.includes(k));
    if (missing.length > 0 || extra.length > 0) {
      const parts = [missing.length ? `missing ${missing.join(", ")}` : "", extra.length ? `unexpected ${extra.join(", ")}` : ""].filter(Boolean);
      throw new StateMismatchError(path, "structure", `the state's children do not match the model's (${parts.join("; ")})`);
    }
    for (const [key, child] of children) {
      if (srcKeys.includes(key)) walk(child, (src as Record<string | number, StateTree>)[key]!, keyPath(path, key));
    }
  };
  walk(model, source, "model");
  return pairs;
}

function copyInto(dst: NdArray, src: NdArray): void {
  if (isColMajorContiguous(dst) && isColMajorContiguous(src)) {
    const n = numel(dst.shape);
    dst.data.set(src.data.subarray(src.offset, src.offset + n), dst.offset);
  } else {
    assign(dst, src);
  }
}

/**
 * Copies the arrays of `source` (a state tree from `state`/`loadstate`, or another model of the same
 * structure) into `model`'s arrays in place, and returns `model` (Flux's `loadmodel!`). Every array
 * must match in place, size and element type; other leaves (functions, numbers) are not loaded, and
 * the state may leave them out.
 * A mismatch is a StateMismatchError naming the path, raised before anything is copied. A
 * `Duplicated(model)` loads into its model (not its shadow).
 *
 * @example
 * const trained = Chain(Dense(2, 3, relu), Dense(3, 1));
 * const fresh = loadmodel(Chain(Dense(2, 3, relu), Dense(3, 1)), state(trained));  // same weights now
 */
export function loadmodel<M>(model: M, source: unknown): M {
  const pairs = pairArrays(isDuplicated(model) ? model.val : model, state(source));
  for (const [dst, src] of pairs) copyInto(dst, src);
  return model;
}
