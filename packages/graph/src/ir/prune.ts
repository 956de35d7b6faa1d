/** Removing nodes a derivative visitor emitted but nothing needs (e.g. the cotangent of a constant). */
import type { Graph, Value } from "./graph";

/**
 * Deletes the nodes with index >= `from` that none of `keep` depends on, and renumbers the rest.
 * Only for tails that nothing else refers to yet (the nodes a visitor has just emitted).
 */
export function pruneTail(graph: Graph, from: number, keep: readonly Value[]): void {
  const needed = new Set<Value>(keep);
  const kept: boolean[] = [];
  for (let i = graph.nodes.length - 1; i >= from; i--) {
    const node = graph.nodes[i]!;
    const use = needed.has(node.output);
    kept[i - from] = use;
    if (use) for (const x of node.inputs) needed.add(x);
  }
  const tail = graph.nodes.splice(from).filter((_, k) => kept[k]);
  tail.forEach((node, k) => {
    (node as { index: number }).index = from + k;
    graph.nodes.push(node);
  });
}
