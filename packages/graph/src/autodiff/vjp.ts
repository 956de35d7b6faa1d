/**
 * The reverse visitor: walks the nodes between the active inputs and the output backwards and emits
 * adjoint nodes (written with ordinary ops, so they can be differentiated again).
 */
import type { Tensor } from "../tensor";
import type { Value } from "../ir/graph";
import type { Trace } from "../ir/trace-context";
import { withTrace } from "../ir/trace-context";
import { opDef } from "../ops/registry";
import { add } from "../api/elementwise";
import { primalsOf, checkDerivative } from "./primals";
import { pruneTail } from "../ir/prune";

/**
 * Emits the cotangents of `wrt` for `output` seeded with `seed`, visiting only nodes with index >= `from`
 * (values defined before that are constants here). Returns null for a `wrt` the output does not depend on.
 */
export function emitVjp(trace: Trace, output: Value, wrt: readonly Value[], seed: Tensor, from = 0): (Tensor | null)[] {
  const nodes = trace.graph.nodes.slice(from);
  // activity: what the inputs reach, walking forwards
  const active = new Set<Value>(wrt);
  for (const node of nodes) if (node.inputs.some((x) => active.has(x))) active.add(node.output);
  if (!active.has(output)) return wrt.map(() => null);
  // what reaches the output, walking backwards (and is active)
  const useful = new Set<Value>([output]);
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i]!;
    if (useful.has(node.output)) for (const x of node.inputs) if (active.has(x)) useful.add(x);
  }
  const adjoint = new Map<Value, Tensor>([[output, seed]]);
  const emittedFrom = trace.graph.nodes.length;
  withTrace(trace, () => {
    for (let i = nodes.length - 1; i >= 0; i--) {
      const node = nodes[i]!;
      const dy = adjoint.get(node.output);
      if (dy === undefined || !useful.has(node.output)) continue;
      const def = opDef(node.op);
      const grads = def.vjp ? def.vjp(primalsOf(trace, node), dy, node.attrs) : def.transpose!(dy, node.attrs, node.inputs);
      node.inputs.forEach((x, k) => {
        const g = grads[k];
        if (g === null || g === undefined || !useful.has(x)) return;
        checkDerivative("gradient", node, `input ${k + 1}`, g, x);
        const previous = adjoint.get(x);
        adjoint.set(x, previous === undefined ? g : add(previous, g)); // fan-out: cotangents add up
      });
    }
  }, true);
  const result = wrt.map((w) => adjoint.get(w) ?? null);
  // rules emit cotangents for every input; drop those of inputs nothing differentiates
  pruneTail(trace.graph, emittedFrom, result.filter((g): g is Tensor => g !== null).map((g) => g.value));
  return result;
}
