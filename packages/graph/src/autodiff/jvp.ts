/** The forward visitor's derivative half: pushes tangents through nodes in order, emitting tangent nodes. */
import type { Tensor } from "../tensor";
import type { Buffer, Value } from "../ir/graph";
import { Keeper } from "./keep";
import type { Trace } from "../ir/trace-context";
import { withTrace } from "../ir/trace-context";
import { opDef } from "../ops/table";
import { primalsOf, checkDerivative } from "./primals";

/**
 * Given tangents of some values, emits the tangents of everything computed from them by the nodes
 * with index in [from, end). Returns the tangent map (inactive values are absent: zero tangent).
 */
export function emitJvp(trace: Trace, seeds: ReadonlyMap<Value, Tensor>, from = 0, end = trace.graph.nodes.length, noKeep?: ReadonlySet<Buffer>): Map<Value, Tensor> {
  const tangent = new Map(seeds);
  const graph = trace.graph;
  const nodes = graph.nodes.slice(from, end);
  const keeper = new Keeper(trace, noKeep);
  withTrace(trace, () => {
    try {
      forward();
    } finally {
      keeper.flush();
    }
  }, true);
  return tangent;

  function forward(): void {
    for (const node of nodes) {
      const ts = node.inputs.map((x) => tangent.get(x) ?? null);
      if (ts.every((t) => t === null)) continue;
      const before = graph.nodes.length;
      const raw = opDef(node.op).jvp(primalsOf(trace, node), ts, node.attrs);
      const [t] = keeper.fix(node, before, [raw]);
      if (t === null || t === undefined) continue;
      checkDerivative("tangent", node, "its output", t, node.output);
      tangent.set(node.output, t);
    }
  }
}
