/**
 * The IR as stable, jaxpr-like text:
 *   { lambda x0@0:f32[3] .
 *     let %1:f32[3] = tanh x0@0
 *         %2:f32[] = sum[dims=(1,),drop] %1
 *     in ( %2 ) }
 * Graph inputs print as `name@version`, intermediates as `%id` (or `%b@v` for a later version of an
 * intermediate buffer); scalar constants print inline as `value:type`.
 */
import type { Graph, Node, Value } from "./graph";
import { opDef } from "../ops/table";

export function printValueName(v: Value): string {
  const b = v.buffer;
  if (b.name !== undefined) return `${b.name}@${v.version}`;
  return v.version === 0 ? `%${v.id}` : `%${b.versions[0]!.id}@${v.version}`;
}

/** How errors name graph input `index`: `input 2 (x1@0:f32[3,4])`. */
export function printInputName(index: number, v: Value): string {
  return `input ${index} (${printValueName(v)}:${printType(v)})`;
}

/** A Julia tuple: `(3,)`, `(3, 1)`. */
export function tupleStr(xs: readonly (number | string)[]): string {
  return xs.length === 1 ? `(${xs[0]},)` : `(${xs.join(", ")})`;
}

export function printType(v: { shape: readonly number[]; dtype: string }): string {
  return `${v.dtype}[${v.shape.join(",")}]`;
}

/** The value of a constant node (its block declares `constant`), which prints inline at its uses. */
export function inlineConstant(node: Node | null): number | undefined {
  return node === null ? undefined : opDef(node.op).constant?.(node.attrs);
}

function operand(v: Value): string {
  const constant = inlineConstant(v.producer);
  if (constant !== undefined) return `${formatNumber(constant)}:${printType(v)}`;
  return printValueName(v);
}

export function formatNumber(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 1e16) return `${x}.0`;
  return `${x}`;
}

export function printAttrs(node: Node): string {
  const def = opDef(node.op);
  const text = def.printAttrs ? def.printAttrs(node.attrs) : genericAttrs(node.attrs);
  return text ? `[${text}]` : "";
}

function genericAttrs(attrs: Readonly<Record<string, unknown>>): string {
  return Object.entries(attrs).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(",");
}

/** One node as a line of the printed IR: `%3:f32[4,2] = add %1 %2`. */
export function printNode(node: Node): string {
  const out = node.output;
  const args = node.inputs.map(operand).join(" ");
  return `${printValueName(out)}:${printType(out)} = ${node.op}${printAttrs(node)}${args ? " " + args : ""}`;
}

/** The whole graph printed as a jaxpr-style `{ lambda ... let ... in ( ... ) }`. */
export function printGraph(graph: Graph, outputs: readonly Value[] = graph.outputs): string {
  const header = graph.inputs.map((v) => `${printValueName(v)}:${printType(v)}`).join(" ");
  const lines = graph.nodes.filter((n) => inlineConstant(n) === undefined).map(printNode);
  const body = lines.length === 0 ? "" : `\n  let ${lines.join("\n      ")}`;
  return `{ lambda ${header}${header ? " " : ""}.${body}\n  in ( ${outputs.map(operand).join(" ")} ) }`;
}
