/**
 * Telling the nodes a derivative visitor emitted apart from the graph it started with, without a set of
 * every node: a visitor appends nodes at the end, and inserts copies of overwritten values in the middle
 * (autodiff/keep.ts), which it records here. A checkpoint taken before the visitor runs then names its
 * nodes: the copies recorded since, and the nodes appended since.
 */
import type { Graph, Node } from "./graph";

/** Copies inserted in the middle of each graph, in the order they were made. */
const insertedCopies = new WeakMap<Graph, Node[]>();

/** Records that `node` was inserted before the end of `graph` (done by the visitor that inserts it). */
export function recordInserted(graph: Graph, node: Node): void {
  const list = insertedCopies.get(graph);
  if (list) list.push(node);
  else insertedCopies.set(graph, [node]);
}

/** Where a graph stands: how many nodes it has, and how many inserted copies were recorded. */
export interface NodeCheckpoint {
  readonly nodes: number;
  readonly inserted: number;
}

/** A checkpoint of `graph` now, to name the nodes a visitor adds from here (nodesSince). */
export function checkpoint(graph: Graph): NodeCheckpoint {
  return { nodes: graph.nodes.length, inserted: insertedCopies.get(graph)?.length ?? 0 };
}

/** The nodes added to `graph` since `since`: inserted copies, and how many nodes were appended at the end. */
export function nodesSince(graph: Graph, since: NodeCheckpoint): { inserted: readonly Node[]; appended: number } {
  const inserted = (insertedCopies.get(graph) ?? []).slice(since.inserted);
  return { inserted, appended: graph.nodes.length - since.nodes - inserted.length };
}

/** Forgets inserted copies that were removed from `graph` again, so later checkpoints count only copies it holds. */
export function forgetInserted(graph: Graph, removed: (node: Node) => boolean): void {
  const list = insertedCopies.get(graph);
  if (list) insertedCopies.set(graph, list.filter((n) => !removed(n)));
}
