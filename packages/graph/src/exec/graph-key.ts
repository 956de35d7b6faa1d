/**
 * The structure of a traced call: everything a compiled plan depends on (inputs' kinds, places, shapes
 * and dtypes; each node's op, attributes, operands, buffer and type; which values the function returned
 * and in what structure) and nothing it does not (the arrays' contents and identities). Two traces with
 * the same structure compile to the same plan, input k of one standing for input k of the other.
 *
 * A call is found by a 32-bit hash of its structure and then compared field by field with the
 * structure kept from the first call (`TraceShape`), so neither step builds a string per node.
 */
import type { Graph, Node, Value } from "../ir/graph";
import { Tensor } from "../tensor";
import { isNode, childrenOf } from "../tree/tree";
import { opDef } from "../ops/table";
import type { TraceTemplate } from "../ir/trace-context";
import { sameAttrsExcept, sameType } from "../ir/attrs-equal";

/** What is kept of a forward trace to recognise the next one with the same structure (and to replay it). */
export interface TraceShape extends TraceTemplate {
  readonly result: string;
  readonly extra: string;
}

const stringIds = new Map<string, number>();

/** A small integer per distinct string (op names, paths, attribute keys), stable for the process. */
function stringId(s: string): number {
  let id = stringIds.get(s);
  if (id === undefined) stringIds.set(s, (id = stringIds.size + 1));
  return id;
}

function mix(h: number, x: number): number {
  return Math.imul(h ^ x, 0x01000193) >>> 0;
}

function mixNumber(h: number, x: number): number {
  if (Number.isInteger(x) && Math.abs(x) < 2 ** 31) return mix(h, x | 0);
  return mix(h, stringId(x === 0 && 1 / x < 0 ? "-0" : String(x)));
}

function mixAttr(h: number, x: unknown): number {
  if (typeof x === "number") return mixNumber(h, x);
  if (Array.isArray(x)) {
    h = mix(h, 0x5b + x.length);
    for (let i = 0; i < x.length; i++) h = mixAttr(h, x[i]);
    return h;
  }
  if (x !== null && typeof x === "object") {
    for (const k in x) h = mixAttr(mix(h, stringId(k)), (x as Record<string, unknown>)[k]);
    return mix(h, 0x7d);
  }
  return mix(h, stringId(typeof x === "string" ? `s${x}` : String(x)));
}

const DTYPE_IDS: Readonly<Record<string, number>> = { f32: 1, f64: 2, i32: 3, bool: 4 };

/** mixAttr of an attribute object without its key `skip` (a constant's per-call value), allocating nothing. */
function mixAttrsExcept(h: number, attrs: Readonly<Record<string, unknown>>, skip: string | undefined): number {
  for (const k in attrs) if (k !== skip) h = mixAttr(mix(h, stringId(k)), attrs[k]);
  return mix(h, 0x7d);
}

function mixType(h: number, v: Value): number {
  h = mix(h, DTYPE_IDS[v.dtype] ?? stringId(v.dtype));
  for (let i = 0; i < v.shape.length; i++) h = mix(h, v.shape[i]!);
  return mix(h, 0x2f + v.shape.length);
}

/** Where the function's result puts each traced value: the result's structure with value ids. */
export function resultKey(x: unknown): string {
  if (x instanceof Tensor) return x.isSymbolic ? `%${x.value.id}` : "concrete";
  if (typeof x === "number") return x === 0 && 1 / x < 0 ? "-0" : String(x);
  if (!isNode(x)) return typeof x === "string" ? JSON.stringify(x) : typeof x === "function" ? "fn" : String(x);
  let s = Array.isArray(x) ? "[" : `${Object.getPrototypeOf(x)?.constructor?.name ?? ""}{`;
  for (const [k, v] of childrenOf(x)) s += `${k}:${resultKey(v)},`;
  return s + (Array.isArray(x) ? "]" : "}");
}

/** The 32-bit structural hash of a traced graph, its result key and the caller's extra key. */
export function traceHash(graph: Graph, result: string, extra: string): number {
  let h = mix(0x811c9dc5, stringId(extra));
  h = mix(h, stringId(result));
  for (const v of graph.inputs) {
    const info = v.buffer.input!;
    // paths are compared by matchesShape, not hashed: they are fresh strings on every trace
    h = mixType(mix(mix(h, info.kind === "arg" ? 1 : 2), info.argIndex), v);
  }
  for (const node of graph.nodes) {
    h = mix(h, stringId(node.op));
    for (let i = 0; i < node.inputs.length; i++) h = mix(h, node.inputs[i]!.id);
    const out = node.output;
    h = mixType(mix(mix(mix(h, out.id), out.buffer.id), out.version), out);
    h = mixAttrsExcept(h, node.attrs, opDef(node.op).boundAttr);
  }
  return h;
}

/**
 * The attributes that make a node's structure: all of them, except a constant's value, which a plan
 * takes per call (Plan.setConstant), so a changed captured number needs no new plan.
 */
function structuralAttrs(node: Node): Readonly<Record<string, unknown>> {
  const bound = opDef(node.op).boundAttr;
  if (bound === undefined) return node.attrs;
  const { [bound]: _value, ...rest } = node.attrs;
  return rest;
}

/** The values of a trace's constants (`full` nodes), in graph order: what a program binds per call. */
export function constantValues(graph: Graph): number[] {
  const out: number[] = [];
  for (const node of graph.nodes) {
    const constant = opDef(node.op).constant;
    if (constant) out.push(constant(node.attrs));
  }
  return out;
}

/** Keeps what identifies a forward trace (before derivative nodes are added to its graph). */
export function traceShape(graph: Graph, result: string, extra: string): TraceShape {
  return {
    inputs: graph.inputs.map((value) => ({ kind: value.buffer.input!.kind, argIndex: value.buffer.input!.argIndex, path: value.buffer.input!.path, value })),
    nodes: graph.nodes.map((n: Node) => ({ op: n.op, attrs: structuralAttrs(n), ins: n.inputs.map((x) => x.id), out: n.output })),
    result,
    extra,
  };
}

/** Whether a fresh trace has exactly the structure kept in `shape`. */
export function matchesShape(shape: TraceShape, graph: Graph, result: string, extra: string): boolean {
  if (shape.extra !== extra || shape.result !== result) return false;
  if (shape.inputs.length !== graph.inputs.length || shape.nodes.length !== graph.nodes.length) return false;
  for (let i = 0; i < graph.inputs.length; i++) {
    const kept = shape.inputs[i]!, v = graph.inputs[i]!, info = v.buffer.input!;
    if (kept.kind !== info.kind || kept.argIndex !== info.argIndex || kept.path !== info.path || !sameType(kept.value, v.shape, v.dtype)) return false;
  }
  for (let i = 0; i < graph.nodes.length; i++) {
    const kept = shape.nodes[i]!, node = graph.nodes[i]!, out = node.output;
    if (kept.op !== node.op || kept.ins.length !== node.inputs.length) return false;
    for (let k = 0; k < kept.ins.length; k++) if (kept.ins[k] !== node.inputs[k]!.id) return false;
    if (kept.out.id !== out.id || kept.out.buffer.id !== out.buffer.id || kept.out.version !== out.version || !sameType(kept.out, out.shape, out.dtype)) return false;
    if (!sameAttrsExcept(kept.attrs, node.attrs, opDef(node.op).boundAttr)) return false;
  }
  return true;
}
