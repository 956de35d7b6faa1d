/**
 * Leaf: the optimiser state of one parameter array, `{ rule, state, frozen }`. Like Optimisers.jl's mutable
 * Leaf, its identity encodes parameter sharing: tied arrays share one Leaf.
 */
import type { FloatDType } from "@tsflux/graph";
import type { Rule } from "../rule";
import { showState } from "../show/state";

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/** What a Leaf was set up for: the parameter's shape and element type, and its kernel element order. */
export interface LeafMeta {
  readonly shape: readonly number[];
  readonly dtype: FloatDType;
  readonly order: readonly number[];
}

const META = new WeakMap<Leaf, LeafMeta>();

/** Records what `setup` built the Leaf for (kept off the Leaf's own fields, so Leaves compare by content). */
export function setLeafMeta(leaf: Leaf, meta: LeafMeta): void {
  META.set(leaf, meta);
}

/** What the Leaf was set up for, or undefined for a Leaf made by hand. */
export function leafMeta(leaf: Leaf): LeafMeta | undefined {
  return META.get(leaf);
}

/** The optimiser state of one parameter array: its rule, the rule's state, and whether it is frozen. */
export class Leaf<S = unknown> {
  /** The rule that updates this parameter (`adjust` replaces it). */
  rule: Rule<S>;
  /** The rule's state for this parameter, updated in place by `update`. */
  state: S;
  /** A frozen Leaf is skipped by `update` (see `freeze` and `thaw`). */
  frozen: boolean;

  constructor(rule: Rule<S>, state: S, frozen = false) {
    this.rule = rule;
    this.state = state;
    this.frozen = frozen;
  }

  /** `Leaf(Adam(eta=0.001, ...), (Float32[0.0, 0.0], Float32[0.0, 0.0], (0.9, 0.999)))`, `frozen = true` when frozen. */
  toString(): string {
    return showLeaf(this, false);
  }

  [INSPECT](_depth: number, options?: { colors?: boolean }): string {
    return showLeaf(this, options?.colors === true);
  }
}

/** Optimisers.jl's Leaf printing; with colour, green (cyan when frozen) around the rule, as `printstyled`. */
export function showLeaf(leaf: Leaf, colour: boolean): string {
  const f32 = META.get(leaf)?.dtype === "f32";
  const [on, off] = colour ? [leaf.frozen ? "\x1b[36m" : "\x1b[32m", "\x1b[39m"] : ["", ""];
  const tail = leaf.frozen ? ", frozen = true)" : ")";
  return `${on}Leaf(${String(leaf.rule)}, ${off}${showState(leaf.state, f32)}${on}${tail}${off}`;
}
