/** Removing nodes a derivative visitor emitted but nothing needs (e.g. the cotangent of a constant). */
import type { Graph, Node, Value } from "./graph";

/**
 * Deletes the nodes not in `existing` that none of `keep` depends on, and renumbers the rest. Only for
 * nodes a visitor has just emitted, which nothing else refers to yet.
 */
export function pruneNew(graph: Graph, existing: ReadonlySet<Node>, keep: readonly Value[]): void {
  const needed = new Set<Value>(keep);
  const drop = new Set<Node>();
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const node = graph.nodes[i]!;
    if (!needed.has(node.output) && !existing.has(node)) {
      drop.add(node);
      continue;
    }
    for (const x of node.inputs) needed.add(x);
  }
  if (drop.size === 0) return;
  const kept = graph.nodes.filter((n) => !drop.has(n));
  graph.nodes.length = 0;
  kept.forEach((n, i) => {
    (n as { index: number }).index = i;
    graph.nodes.push(n);
  });
}
