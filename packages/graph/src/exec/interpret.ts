/** The reference interpreter: runs a graph node by node with a fresh array per value (no fusion, no arena). */
import type { Graph, Value } from "../ir/graph";
import { GraphError } from "../errors";
import { opDef } from "../ops/table";
import { toColMajor, zerosArray, type NdArray } from "../ndarray-util";
import { printValueName } from "../ir/print";

/** Evaluates `outputs` (default: the graph's) given one array per graph input, in order. */
export function evaluate(graph: Graph, inputs: readonly NdArray[], outputs: readonly Value[] = graph.outputs): NdArray[] {
  const values = new Map<Value, NdArray>();
  graph.inputs.forEach((v, i) => {
    const given = inputs[i] ?? v.buffer.input?.source;
    if (!given) throw new GraphError(`evaluate: no array for input ${printValueName(v)}`);
    values.set(v, toColMajor(given));
  });
  for (const node of graph.nodes) {
    const out = zerosArray(node.output.shape, node.output.dtype);
    const ins = node.inputs.map((x) => values.get(x)!);
    opDef(node.op).kernel({ attrs: node.attrs, inputs: node.inputs, output: node.output })(
      { data: out.data, offset: 0 },
      ins.map((a) => ({ data: a.data, offset: a.offset })),
    );
    values.set(node.output, out);
  }
  return outputs.map((v) => values.get(v)!);
}
