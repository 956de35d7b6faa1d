/**
 * The structural key of a traced graph: everything a compiled plan depends on (inputs' kinds, places,
 * shapes and dtypes; each node's op, attributes, operands, buffer and type; which values the function
 * returned and in what structure) and nothing it does not (the arrays' contents and identities). Two
 * traces with equal keys compile to the same plan, with input k of one standing for input k of the other.
 */
import type { Graph, Value } from "../ir/graph";
import { Tensor } from "../tensor";
import { isNode, childrenOf } from "../tree/tree";

/** A number as a key: distinguishes -0, NaN and the infinities (JSON would print null for the last three). */
function numberKey(x: number): string {
  return x === 0 && 1 / x < 0 ? "-0" : String(x);
}

/** Attribute values as a key: numbers, strings, booleans, null and nested arrays/objects of them. */
function attrKey(x: unknown): string {
  if (typeof x === "number") return numberKey(x);
  if (Array.isArray(x)) {
    let s = "[";
    for (let i = 0; i < x.length; i++) s += (i > 0 ? "," : "") + attrKey(x[i]);
    return `${s}]`;
  }
  if (x !== null && typeof x === "object") {
    let s = "{";
    for (const k in x) s += `${k}:${attrKey((x as Record<string, unknown>)[k])},`;
    return `${s}}`;
  }
  return typeof x === "string" ? JSON.stringify(x) : String(x);
}

function typeKey(v: Value): string {
  return `${v.dtype}[${v.shape.join(",")}]`;
}

/** Where the function's result puts each traced value: the result's structure with value ids. */
function resultKey(x: unknown): string {
  if (x instanceof Tensor) return x.isSymbolic ? `%${x.value.id}` : "concrete";
  if (typeof x === "number") return numberKey(x);
  if (!isNode(x)) return typeof x === "string" ? JSON.stringify(x) : typeof x === "function" ? "fn" : String(x);
  let s = Array.isArray(x) ? "[" : `${Object.getPrototypeOf(x)?.constructor?.name ?? ""}{`;
  for (const [k, v] of childrenOf(x)) s += `${k}:${resultKey(v)},`;
  return s + (Array.isArray(x) ? "]" : "}");
}

/** The key of `graph` (its inputs and nodes) and of what the traced function returned. */
export function graphKey(graph: Graph, result: unknown): string {
  let key = "";
  for (const v of graph.inputs) {
    const info = v.buffer.input!;
    key += `in ${info.kind === "arg" ? `a${info.argIndex}${info.path}` : "c"} ${typeKey(v)}\n`;
  }
  for (const node of graph.nodes) {
    let operands = "";
    for (const x of node.inputs) operands += ` %${x.id}`;
    const out = node.output;
    key += `%${out.id}=b${out.buffer.id}v${out.version} ${node.op}${attrKey(node.attrs)}${operands} ${typeKey(out)}\n`;
  }
  return `${key}-> ${resultKey(result)}`;
}
