/** State trees as Julia prints the NamedTuples and Tuples of Optimisers.jl's `setup`. */
import { Leaf, showLeaf } from "../tree/leaf";
import { juliaTuple } from "./julia";

const INSPECT = Symbol.for("nodejs.util.inspect.custom");

/**
 * Writes a state tree: objects as NamedTuples `(weight = Leaf(...), bias = Leaf(...), activation = ())`,
 * arrays as Tuples, Leaves as `Leaf(rule, state)`.
 */
export function showTree(x: unknown, colour = false): string {
  if (x instanceof Leaf) return showLeaf(x, colour);
  if (Array.isArray(x)) return juliaTuple(x.map((c) => showTree(c, colour)));
  if (typeof x === "object" && x !== null) {
    const body = Object.entries(x).map(([k, v]) => `${k} = ${showTree(v, colour)}`);
    if (body.length === 0) return "NamedTuple()";
    return body.length === 1 ? `(${body[0]},)` : `(${body.join(", ")})`;
  }
  return String(x);
}

/** Gives a state-tree node (a plain object or array) Julia printing, as non-enumerable methods. */
export function withTreePrinting<T extends object>(node: T): T {
  Object.defineProperty(node, "toString", { value(this: object) { return showTree(this); } });
  Object.defineProperty(node, INSPECT, {
    value(this: object, _depth: number, options?: { colors?: boolean }) { return showTree(this, options?.colors === true); },
  });
  return node;
}
