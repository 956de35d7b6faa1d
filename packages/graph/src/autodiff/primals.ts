/** Pinned tensor handles on a node's inputs and output, as derivative rules receive them. */
import { Tensor } from "../tensor";
import type { Node } from "../ir/graph";
import type { Trace } from "../ir/trace-context";
import type { Primals } from "../ops/types";
import { GraphError } from "../errors";
import { sameShape } from "../shape";
import { printNode } from "../ir/print";

export function primalsOf(trace: Trace, node: Node): Primals {
  return { x: node.inputs.map((v) => Tensor.pinned(trace, v)), y: Tensor.pinned(trace, node.output) };
}

/** A rule's result must have exactly the type of the value it belongs to (tfjs tape.ts's guard). */
export function checkDerivative(kind: "gradient" | "tangent", node: Node, which: string, got: Tensor, want: { shape: readonly number[]; dtype: string }): void {
  if (!sameShape(got.shape, want.shape) || got.dtype !== want.dtype) {
    throw new GraphError(
      `${node.op}: the ${kind} rule gave ${got.dtype}[${got.shape.join(",")}] for ${which}, which is ${want.dtype}[${want.shape.join(",")}] (at ${printNode(node)})`,
    );
  }
}
