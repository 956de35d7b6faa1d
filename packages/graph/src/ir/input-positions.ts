/** Positions of graph inputs, for lookups that would otherwise search `graph.inputs` once per value. */
import type { Graph, Value } from "./graph";

/** The position of each of `graph`'s inputs now; `at(v)` is -1 for a value that is not one (like indexOf). */
export function inputPositions(graph: Graph): { at(v: Value): number } {
  const positions = new Map<Value, number>();
  graph.inputs.forEach((v, i) => positions.set(v, i));
  return { at: (v) => positions.get(v) ?? -1 };
}
