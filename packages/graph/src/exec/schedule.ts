/**
 * From a graph to an ordered list of steps: dead code removed, elementwise chains fused, constants
 * inlined, and reshape/copy/stopGradient turned into aliases of their input's storage.
 */
import { consumers, type Graph, type Node, type Value } from "../ir/graph";
import { findGroups, constantRoot, isAlias, type FusedGroup } from "./fusion";
import { fuseGemmEpilogues, type GemmEpilogueStep } from "./gemm-epilogue";
import { fuseConvEpilogues } from "./conv-epilogue";
import { fusePoolReluAdjoints, type PoolReluAdjointStep } from "./pool-relu-adjoint";
import { opDef } from "../ops/table";
import { ValueSet, graphIdBound } from "../ir/value-set";

/** A step before the fusions of whole kernels (GEMM and conv epilogues, the pooling adjoint's relu mask). */
type OpStep =
  | { readonly kind: "node"; readonly node: Node; readonly reads: readonly Value[]; readonly writes: readonly Value[] }
  | { readonly kind: "constant"; readonly source: Value; readonly reads: readonly Value[]; readonly writes: readonly Value[] }
  | { readonly kind: "group"; readonly group: FusedGroup; readonly reads: readonly Value[]; readonly writes: readonly Value[] };

export type Step = OpStep | GemmEpilogueStep<Value, Node> | PoolReluAdjointStep;

export interface Schedule {
  readonly steps: Step[];
  /** Values whose storage is another value's (reshape, copy, stopGradient of a stored value). */
  readonly aliasOf: Map<Value, Value>;
  /** Live nodes, in order. */
  readonly live: Node[];
}

/** The nodes the outputs depend on, in graph order. */
export function liveNodes(graph: Graph, outputs: readonly Value[]): Node[] {
  const needed = new ValueSet(graphIdBound(graph), outputs);
  const live: Node[] = [];
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const node = graph.nodes[i]!;
    if (!needed.has(node.output)) continue;
    live.push(node);
    for (const x of node.inputs) needed.add(x);
  }
  return live.reverse();
}

export function schedule(graph: Graph, outputs: readonly Value[]): Schedule {
  const live = liveNodes(graph, outputs);
  const uses = consumers(live);
  const outputSet = new Set(outputs);
  const groups = findGroups(live, uses, outputSet);
  const groupOf = new Map<Node, FusedGroup>();
  for (const g of groups) for (const m of g.members) groupOf.set(m, g);
  const aliasOf = new Map<Value, Value>();
  const steps: OpStep[] = [];
  for (const node of live) {
    const group = groupOf.get(node);
    if (group) {
      if (node === group.members[group.members.length - 1]) {
        steps.push({ kind: "group", group, reads: group.inputs.map((i) => i.value), writes: group.outputs });
      }
      continue;
    }
    const constant = constantRoot(node.output);
    if (constant !== undefined) {
      // read from the constant table by loops and by other constants; stored only for other consumers
      const tableOnly = (uses.get(node.output) ?? []).every((c) => groupOf.has(c) || constantRoot(c.output) !== undefined);
      if (outputSet.has(node.output) || !tableOnly) steps.push({ kind: "constant", source: constant, reads: [], writes: [node.output] });
      continue;
    }
    const source = node.inputs[0];
    if (isAlias(node) && source) {
      aliasOf.set(node.output, aliasOf.get(source) ?? source);
      continue;
    }
    steps.push({ kind: "node", node, reads: node.inputs, writes: [node.output] });
  }
  const facts = (n: Node) => opDef(n.op);
  const epilogues = fuseConvEpilogues(fuseGemmEpilogues(steps, live, outputSet, facts), live, outputSet, facts);
  return { steps: fusePoolReluAdjoints<OpStep | GemmEpilogueStep<Value, Node>>(epilogues, live, outputSet), aliasOf, live };
}
