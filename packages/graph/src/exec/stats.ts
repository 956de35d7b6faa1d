/**
 * graph.stats(): node counts by op, FLOPs of one execution, and the compiled plan's arena bytes. It
 * compiles a plan, so it lives in exec/ and installs itself as `Graph.stats()` when it loads.
 */
import { provideGraphStats, type Graph, type GraphStats, type Value } from "../ir/graph";
import { opDef } from "../ops/table";
import { compile } from "./plan";
import { liveNodes } from "./schedule";

export type { GraphStats } from "../ir/graph";

/** The stats of the nodes `outputs` need (all outputs by default). */
export function graphStats(graph: Graph, outputs: readonly Value[] = graph.outputs): GraphStats {
  const nodes: Record<string, number> = {};
  for (const n of graph.nodes) nodes[n.op] = (nodes[n.op] ?? 0) + 1;
  const flops = liveNodes(graph, outputs).reduce((acc, n) => {
    const def = opDef(n.op);
    return acc + (def.flops ? def.flops({ attrs: n.attrs, inputs: n.inputs, output: n.output }) : 0);
  }, 0);
  return { nodes, totalNodes: graph.nodes.length, flops, arenaBytes: compile(graph, outputs).arenaBytes };
}

provideGraphStats(graphStats);
