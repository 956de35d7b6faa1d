/** adjust, freeze and thaw: change a state tree's rules or frozen flags in place, keeping the state. */
import { isNdarray } from "@tsflux/graph";
import { OptimiserError } from "../errors";
import { isRule, type Rule } from "../rule";
import { Leaf } from "./leaf";
import { formatPath } from "./path";

/** Every distinct Leaf in a state (sub)tree; `fn` names the caller in errors (on a model's arrays). */
function leavesOf(tree: unknown, fn: string): Leaf[] {
  const found = new Set<Leaf>();
  const seen = new Set<object>();
  const walk = (x: unknown, keys: (string | number)[]): void => {
    if (x instanceof Leaf) {
      found.add(x);
      return;
    }
    if (isNdarray(x) || ArrayBuffer.isView(x)) {
      throw new OptimiserError(`${fn} must not be applied to a model, only to the state tree from setup (found an array at ${formatPath(keys)})`);
    }
    if (typeof x !== "object" || x === null || seen.has(x)) return;
    seen.add(x);
    if (Array.isArray(x)) x.forEach((c, i) => walk(c, [...keys, i]));
    else for (const [k, c] of Object.entries(x)) walk(c, [...keys, k]);
  };
  walk(tree, []);
  return [...found];
}

/** Given a rule instead of a state tree, returns the adjusted copy (rules are immutable). */
export function adjust(rule: Rule, change: number | Readonly<Record<string, unknown>>): Rule;
/**
 * Changes hyperparameters without touching the stored state (Optimisers.jl's `adjust!`): `adjust(state,
 * 0.01)` sets every learning rate, `adjust(state, { beta: [0.8, 0.99] })` any named field (names a rule
 * lacks are ignored, OptimiserChain forwards to its members). Mutates the Leaves of the (sub)tree; all new
 * rules are validated before any Leaf changes.
 * @example
 * adjust(state, 0.001);                  // every Leaf's eta
 * adjust(state.layers[0], { rho: 0.5 });  // only the first layer's Leaves
 */
export function adjust(tree: object, change: number | Readonly<Record<string, unknown>>): void;
export function adjust(tree: object, change: number | Readonly<Record<string, unknown>>): Rule | void {
  if (isRule(tree)) return tree.adjust(change);
  const leaves = leavesOf(tree, "adjust");
  const next = new Map<Rule, Rule>();
  for (const leaf of leaves) if (!next.has(leaf.rule)) next.set(leaf.rule, leaf.rule.adjust(change));
  for (const leaf of leaves) leaf.rule = next.get(leaf.rule)!;
}

/**
 * Freezes every Leaf of a state (sub)tree so `update` skips it, keeping its state (Optimisers.jl's
 * `freeze!`), e.g. `freeze(state.layers[0])`. Applying it to a model's arrays is an error.
 */
export function freeze(tree: object): void {
  for (const leaf of leavesOf(tree, "freeze")) leaf.frozen = true;
}

/** Undoes `freeze` for every Leaf of a state (sub)tree (Optimisers.jl's `thaw!`). */
export function thaw(tree: object): void {
  for (const leaf of leavesOf(tree, "thaw")) leaf.frozen = false;
}
