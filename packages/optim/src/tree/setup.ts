/** setup: the state tree for a model, one Leaf per trainable float array. */
import { isFloatArray, isNdarray, Tensor, type NdArray } from "@tsflux/graph";
import { OptimiserError } from "../errors";
import { floatKind, kernelStrides } from "../layout";
import { isRule, type Rule } from "../rule";
import { withTreePrinting } from "../show/tree";
import { isDuplicated } from "./duplicated";
import { Leaf, setLeafMeta } from "./leaf";
import { formatPath } from "./path";
import type { StateOf, StateTree } from "./types";

/** A model node whose fields setup walks: a plain object, class instance or array (not an array of numbers). */
export function isTreeNode(x: unknown): x is object {
  return typeof x === "object" && x !== null && !isNdarray(x) && !ArrayBuffer.isView(x) && !(x instanceof Tensor);
}

function trainableKeys(x: object, path: string): Map<string, unknown> | null {
  const t = (x as { trainable?: unknown }).trainable;
  if (typeof t !== "function") return null;
  const chosen = t.call(x) as unknown;
  if (typeof chosen !== "object" || chosen === null) {
    throw new OptimiserError(`setup: trainable() of ${path} must return an object of fields, got ${String(chosen)}`);
  }
  const keys = new Map(Object.entries(chosen));
  for (const k of keys.keys()) {
    if (!Object.prototype.propertyIsEnumerable.call(x, k)) {
      throw new OptimiserError(`setup: trainable() of ${path} returned "${k}", which is not a field of the layer`);
    }
  }
  return keys;
}

function empty(): StateTree {
  return withTreePrinting([]);
}

function build(rule: Rule, x: unknown, cache: Map<NdArray, Leaf>, open: Set<object>, keys: (string | number)[]): StateTree {
  if (isNdarray(x)) {
    if (!isFloatArray(x)) return empty();
    let leaf = cache.get(x);
    if (leaf === undefined) {
      leaf = new Leaf(rule, rule.init(x));
      setLeafMeta(leaf, { shape: [...x.shape], dtype: floatKind(x), order: kernelStrides(x) });
      cache.set(x, leaf);
    }
    return leaf;
  }
  if (isDuplicated(x)) {
    throw new OptimiserError(`setup: a Duplicated is only supported at top level, not inside other objects (found at ${formatPath(keys)})`);
  }
  if (!isTreeNode(x)) return empty();
  if (open.has(x)) throw new OptimiserError(`setup: the model contains a cycle at ${formatPath(keys)}`);
  open.add(x);
  let node: StateTree;
  if (Array.isArray(x)) {
    node = x.map((c, i) => build(rule, c, cache, open, [...keys, i]));
  } else {
    const trainable = trainableKeys(x, formatPath(keys));
    const obj: { [key: string]: StateTree } = {};
    for (const [k, c] of Object.entries(x)) {
      const child = trainable === null ? c : trainable.has(k) ? trainable.get(k) : undefined;
      obj[k] = trainable !== null && !trainable.has(k) ? empty() : build(rule, child, cache, open, [...keys, k]);
    }
    node = obj;
  }
  open.delete(x);
  return withTreePrinting(node);
}

/**
 * Builds the optimiser state for `model`: a tree with the model's keys, a Leaf `{ rule, state, frozen }`
 * for each trainable float array (arrays used twice share one Leaf), and `[]` (printed `()`) for every
 * other field. Fields left out by a layer's `trainable()` get `[]`. A Duplicated is set up as its `val`.
 * @example
 * const state = setup(Momentum(0.1), { weight, bias, activation: Math.tanh });
 * String(state)   // "(weight = Leaf(Momentum(eta=0.1, rho=0.9), [0.0 0.0]), bias = Leaf(...), activation = ())"
 */
export function setup<M>(rule: Rule, model: M): StateOf<M> {
  if (!isRule(rule)) {
    const hint = typeof rule === "function" ? ` (did you mean ${(rule as { name: string }).name}()?)` : "";
    throw new OptimiserError(`setup: the first argument must be a rule such as Adam(), got ${String(rule)}${hint}`);
  }
  const root = isDuplicated(model) ? model.val : model;
  const cache = new Map<NdArray, Leaf>();
  const tree = build(rule, root, cache, new Set(), []);
  if (cache.size === 0) console.warn("setup found no trainable parameters in this model");
  return tree as StateOf<M>;
}
