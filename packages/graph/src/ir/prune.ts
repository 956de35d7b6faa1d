/** Removing nodes a derivative visitor emitted but nothing needs (e.g. the cotangent of a constant). */
import type { Graph, Node, Value } from "./graph";
import { forgetInserted, nodesSince, type NodeCheckpoint } from "./new-nodes";

/**
 * Deletes the nodes added since checkpoint `since` that none of `keep` depends on, and renumbers the
 * rest. Only for nodes a visitor has just emitted, which nothing else refers to yet. Costs time in the
 * number of new nodes (older nodes cannot read newer ones, and inserted copies read only older values),
 * unless an inserted copy is deleted, which renumbers the whole graph.
 */
export function pruneNew(graph: Graph, since: NodeCheckpoint, keep: readonly Value[]): void {
  const { inserted, appended } = nodesSince(graph, since);
  const needed = new Set<Value>(keep);
  const drop = new Set<Node>();
  const tail = graph.nodes.length - appended;
  for (let i = graph.nodes.length - 1; i >= tail; i--) {
    const node = graph.nodes[i]!;
    if (!needed.has(node.output)) {
      drop.add(node);
      continue;
    }
    for (const x of node.inputs) needed.add(x);
  }
  for (const copy of inserted) if (!needed.has(copy.output)) drop.add(copy);
  if (drop.size === 0) return;
  const droppedCopies = inserted.some((c) => drop.has(c));
  if (droppedCopies) forgetInserted(graph, drop);
  const from = droppedCopies ? 0 : tail;
  const kept = graph.nodes.slice(from).filter((n) => !drop.has(n));
  graph.nodes.length = from;
  kept.forEach((n, i) => {
    (n as { index: number }).index = from + i;
    graph.nodes.push(n);
  });
}
