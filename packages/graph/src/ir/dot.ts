/** Graphviz export: one box per node, inputs as ellipses, outputs doubly outlined. */
import type { Graph, Value } from "./graph";
import { printAttrs, printType, printValueName, formatNumber, inlineConstant } from "./print";

function quote(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n")}"`;
}

/** The graph in Graphviz DOT: one node per input and operation, edges labelled with the operand's position. */
export function toDot(graph: Graph, outputs: readonly Value[] = graph.outputs): string {
  const lines = ["digraph tsflux {", "  rankdir=TB;", '  node [fontname="Helvetica", fontsize=10];'];
  const id = (v: Value) => (v.producer ? `n${v.producer.index}` : `i${v.id}`);
  const outs = new Set(outputs);
  for (const v of graph.inputs) {
    lines.push(`  ${id(v)} [shape=ellipse, label=${quote(`${printValueName(v)}\n${printType(v)}`)}${outs.has(v) ? ", peripheries=2" : ""}];`);
  }
  for (const node of graph.nodes) {
    const v = node.output;
    const constant = inlineConstant(node);
    const label = constant !== undefined ? `${formatNumber(constant)}\n${printType(v)}` : `${node.op}${printAttrs(node)}\n${printValueName(v)}:${printType(v)}`;
    const shape = constant !== undefined ? "plaintext" : "box";
    lines.push(`  n${node.index} [shape=${shape}, label=${quote(label)}${outs.has(v) ? ", peripheries=2" : ""}];`);
    node.inputs.forEach((x, k) => lines.push(`  ${id(x)} -> n${node.index}${node.inputs.length > 1 ? ` [label="${k + 1}"]` : ""};`));
  }
  lines.push("}");
  return lines.join("\n");
}
