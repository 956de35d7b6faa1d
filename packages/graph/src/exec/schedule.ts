/**
 * From a graph to an ordered list of steps: dead code removed, elementwise chains fused, constants
 * inlined, and reshape/copy/stopGradient turned into aliases of their input's storage.
 */
import type { Graph, Node, Value } from "../ir/graph";
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

// The whole-graph passes loop by index: they run once per compile, mostly before the engine optimizes
// them, and a for-of loop there allocates an iterator result per element.

/** The nodes the outputs depend on, in graph order. */
export function liveNodes(graph: Graph, outputs: readonly Value[], idBound = graphIdBound(graph)): Node[] {
  const needed = new ValueSet(idBound, outputs);
  const live: Node[] = [];
  for (let i = graph.nodes.length - 1; i >= 0; i--) {
    const node = graph.nodes[i]!;
    if (!needed.has(node.output)) continue;
    live.push(node);
    for (let k = 0; k < node.inputs.length; k++) needed.add(node.inputs[k]!);
  }
  return live.reverse();
}

/** How many times `nodes` read each value, by value id (below `idBound`); a node reading a value twice counts twice. */
function readCounts(nodes: readonly Node[], idBound: number): Int32Array {
  const counts = new Int32Array(idBound);
  for (let i = 0; i < nodes.length; i++) {
    const inputs = nodes[i]!.inputs;
    for (let k = 0; k < inputs.length; k++) counts[inputs[k]!.id] = counts[inputs[k]!.id]! + 1;
  }
  return counts;
}

export function schedule(graph: Graph, outputs: readonly Value[]): Schedule {
  const bound = graphIdBound(graph);
  const live = liveNodes(graph, outputs, bound);
  const outputSet = new ValueSet(bound, outputs);
  const groupOf = findGroups(live, outputSet, bound);
  // each ungrouped node's constant root, and the constants some ungrouped, non-constant node reads from storage
  const constantRoots = new Array<Value | undefined>(bound);
  const readFromStorage = new ValueSet(bound);
  for (let i = 0; i < live.length; i++) {
    const node = live[i]!;
    if (groupOf[node.output.id]) continue;
    const constant = constantRoot(node.output);
    if (constant !== undefined) constantRoots[node.output.id] = constant;
    else for (let k = 0; k < node.inputs.length; k++) readFromStorage.add(node.inputs[k]!);
  }
  const aliasOf = new Map<Value, Value>();
  const steps: OpStep[] = [];
  for (let i = 0; i < live.length; i++) {
    const node = live[i]!;
    const group = groupOf[node.output.id];
    if (group) {
      if (node === group.members[group.members.length - 1]) {
        steps.push({ kind: "group", group, reads: group.inputs.map((i) => i.value), writes: group.outputs });
      }
      continue;
    }
    const constant = constantRoots[node.output.id];
    if (constant !== undefined) {
      // read from the constant table by loops and by other constants; stored only for other readers
      if (outputSet.has(node.output) || readFromStorage.has(node.output)) steps.push({ kind: "constant", source: constant, reads: [], writes: [node.output] });
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
  const reads = readCounts(live, bound);
  const readsOf = (v: Value) => reads[v.id]!;
  const epilogues = fuseConvEpilogues(fuseGemmEpilogues(steps, readsOf, outputSet, facts), readsOf, outputSet, facts);
  return { steps: fusePoolReluAdjoints<OpStep | GemmEpilogueStep<Value, Node>>(epilogues, readsOf, outputSet), aliasOf, live };
}
