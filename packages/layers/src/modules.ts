/** Flux's `modules`: every layer and container inside a model, pre-order, each once. */
import { Tensor, isNdarray, childrenOf } from "@tsflux/graph";
import { isTreeNode } from "./tree";

/** Leaf-like nodes (an array of numbers or of arrays) are not modules, as in Flux's `isleaflike`. */
function isLeaflike(x: object): boolean {
  return Array.isArray(x) && x.every((e) => typeof e === "number" || isNdarray(e) || e instanceof Tensor);
}

/**
 * The model and every node inside it (layers, and the arrays or objects that hold them such as a
 * Chain's `layers`), pre-order, each object once (Flux's `Flux.modules`, from `Functors.fcollect`).
 *
 * @example
 * modules(Chain(Dense(2, 3), Dense(3, 1)));  // [Chain, [Dense, Dense], Dense, Dense]
 */
export function modules(model: unknown): object[] {
  const out: object[] = [];
  const seen = new Set<object>();
  const walk = (x: unknown): void => {
    if (!isTreeNode(x) || seen.has(x) || isLeaflike(x)) return;
    seen.add(x);
    out.push(x);
    for (const [, child] of childrenOf(x)) walk(child);
  };
  walk(model);
  return out;
}
