/** Removing nodes a derivative visitor emitted but nothing needs (e.g. the cotangent of a constant). */
import type { Graph, Node, Value } from "./graph";
import { forgetInserted, nodesSince, type NodeCheckpoint } from "./new-nodes";
import { ValueSet } from "./value-set";

/**
 * Deletes the nodes added since checkpoint `since` that none of `keep` depends on, and renumbers the
 * rest. Only for nodes a visitor has just emitted, which nothing else refers to yet. Costs time in the
 * number of new nodes (older nodes cannot read newer ones, and inserted copies read only older values),
 * unless an inserted copy is deleted, which renumbers the whole graph.
 */
export function pruneNew(graph: Graph, since: NodeCheckpoint, keep: readonly Value[]): void {
  const { inserted, appended } = nodesSince(graph, since);
  const nodes = graph.nodes;
  const capacity = (nodes[nodes.length - 1]?.output.id ?? 0) + 1; // a hint: the sets grow past it
  const needed = new ValueSet(capacity, keep);
  const dropped = new ValueSet(capacity); // the outputs of the nodes to delete
  let drops = 0;
  const tail = nodes.length - appended;
  for (let i = nodes.length - 1; i >= tail; i--) {
    const node = nodes[i]!;
    if (!needed.has(node.output)) {
      dropped.add(node.output);
      drops++;
      continue;
    }
    for (let k = 0; k < node.inputs.length; k++) needed.add(node.inputs[k]!);
  }
  for (const copy of inserted) {
    if (needed.has(copy.output)) continue;
    dropped.add(copy.output);
    drops++;
  }
  if (drops === 0) return;
  const isDropped = (n: Node) => dropped.has(n.output);
  const droppedCopies = inserted.some(isDropped);
  if (droppedCopies) forgetInserted(graph, isDropped);
  let at = droppedCopies ? 0 : tail;
  for (let i = at; i < nodes.length; i++) {
    const node = nodes[i]!;
    if (isDropped(node)) continue;
    (node as { index: number }).index = at;
    nodes[at++] = node;
  }
  nodes.length = at;
}
