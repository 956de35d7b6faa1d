/**
 * The IR checker, run on every graph the tests build: SSA (each value defined once, before its uses),
 * buffer versions (version v+1 is defined by an in-place node reading v), registered ops with the
 * right arity, and shapes/dtypes equal to what each op's shape rule infers.
 */
import { GraphError } from "../errors";
import { sameShape } from "../shape";
import type { Graph, Value } from "./graph";
import { opDef } from "../ops/table";
import { printNode, printType, printValueName } from "./print";

let checksOn = false;

/** Turns on verification of every graph that is compiled or traced (the tests switch it on). */
export function setGraphChecks(on: boolean): boolean {
  const old = checksOn;
  checksOn = on;
  return old;
}

/** Whether every compiled or traced graph is verified (setGraphChecks). */
export function graphChecksEnabled(): boolean {
  return checksOn;
}

/** Checks `graph` (SSA, buffer versions, op arity, shapes and dtypes as each op infers them); throws GraphError. */
export function verifyGraph(graph: Graph): void {
  const defined = new Set<Value>();
  const fail = (msg: string): never => {
    throw new GraphError(`verify: ${msg}`);
  };
  for (const v of graph.inputs) {
    if (v.producer !== null || v.version !== 0) fail(`input ${printValueName(v)} must be version 0 with no producer`);
    if (defined.has(v)) fail(`input ${printValueName(v)} is listed twice`);
    defined.add(v);
  }
  graph.nodes.forEach((node, index) => {
    const where = `node ${index} (${printNode(node)})`;
    if (node.index !== index) fail(`${where} has index ${node.index}`);
    const def = opDef(node.op);
    if (def.arity !== "variadic" && def.arity !== node.inputs.length) fail(`${where}: ${node.op} takes ${def.arity} inputs, got ${node.inputs.length}`);
    for (const x of node.inputs) {
      if (!defined.has(x)) fail(`${where} reads ${printValueName(x)} before it is defined`);
    }
    const out = node.output;
    if (defined.has(out) || out.producer !== node) fail(`${where} redefines ${printValueName(out)}`);
    const versions = out.buffer.versions;
    if (versions[out.version] !== out) fail(`${where}: ${printValueName(out)} is not version ${out.version} of its buffer`);
    if (out.version > 0) {
      const previous = versions[out.version - 1]!;
      if (node.inputs[0] !== previous) fail(`${where}: an in-place write to ${printValueName(out)} must read ${printValueName(previous)} as its first input`);
    }
    const type = def.infer(node.inputs, node.attrs);
    if (!sameShape(type.shape, out.shape) || type.dtype !== out.dtype) {
      fail(`${where}: its shape rule gives ${printType(type)}, the graph says ${printType(out)}`);
    }
    defined.add(out);
  });
  for (const v of graph.outputs) {
    if (!defined.has(v)) fail(`output ${printValueName(v)} is not defined in the graph`);
  }
}
