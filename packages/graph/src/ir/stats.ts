/** graph.stats(): node counts by op, FLOPs of one execution, and the compiled plan's arena bytes. */
import type { Graph, Value } from "./graph";
import { opDef } from "../ops/registry";
import { compile } from "../exec/plan";
import { liveNodes } from "../exec/schedule";

/** A graph's statistics: nodes by op, FLOPs per run and arena bytes. */
export interface GraphStats {
  /** Number of nodes of each op. */
  readonly nodes: Record<string, number>;
  readonly totalNodes: number;
  /** Floating-point operations of one run of the nodes the outputs need. */
  readonly flops: number;
  /** Bytes of the arena of the compiled plan (every intermediate and output). */
  readonly arenaBytes: number;
}

export function graphStats(graph: Graph, outputs: readonly Value[] = graph.outputs): GraphStats {
  const nodes: Record<string, number> = {};
  for (const n of graph.nodes) nodes[n.op] = (nodes[n.op] ?? 0) + 1;
  const flops = liveNodes(graph, outputs).reduce((acc, n) => {
    const def = opDef(n.op);
    return acc + (def.flops ? def.flops({ attrs: n.attrs, inputs: n.inputs, output: n.output }) : 0);
  }, 0);
  return { nodes, totalNodes: graph.nodes.length, flops, arenaBytes: compile(graph, outputs).arenaBytes };
}
