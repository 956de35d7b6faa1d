/** Removes the ONNX nodes and initializers no graph output depends on (left by rules that fuse nodes). */
import type { onnx } from "../proto";

/** Drops, in place, the nodes whose outputs nothing reads and the initializers no kept node reads. */
export function pruneUnused(nodes: onnx.INodeProto[], initializers: onnx.ITensorProto[], outputs: readonly string[]): void {
  const needed = new Set(outputs);
  const kept: onnx.INodeProto[] = [];
  for (let i = nodes.length - 1; i >= 0; i--) {
    const node = nodes[i]!;
    if (!node.output!.some((o) => needed.has(o))) continue;
    kept.push(node);
    for (const input of node.input ?? []) needed.add(input);
  }
  nodes.splice(0, nodes.length, ...kept.reverse());
  const used = initializers.filter((t) => needed.has(t.name!));
  initializers.splice(0, initializers.length, ...used);
}
