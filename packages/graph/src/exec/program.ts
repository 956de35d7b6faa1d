/**
 * A traced function compiled for one argument signature: its plan plus how to bind arguments and
 * captured arrays. Programs are cached by function and signature (shapes, dtypes, structure, and
 * whatever the caller adds, e.g. activity); a fresh closure with the same graph finds the same plan by
 * the graph's printed structure and binds its own captured arrays.
 */
import type { Value } from "../ir/graph";
import type { TracedCall } from "../trace";
import { compile, type Plan } from "./plan";
import { printGraph } from "../ir/print";
import { structure, leaves } from "../tree/tree";
import { isNdarray, type NdArray } from "../ndarray-util";
import { Tensor } from "../tensor";
import { GraphError } from "../errors";

export interface Program {
  readonly plan: Plan;
  /** For each graph input from an argument leaf: where to find its array in a later call's arguments. */
  readonly argBindings: readonly { inputIndex: number; argIndex: number; path: string }[];
  /** Captured arrays, bound by reference. */
  readonly captured: readonly { inputIndex: number; array: NdArray }[];
  /** How many times this program was traced (1 unless the cache was bypassed). */
  readonly traces: number;
}

const MAX_STRUCTURAL = 512;
const byFunction = new WeakMap<object, Map<string, Program>>();
const byGraph = new Map<string, Plan>();
let traceCount = 0;

/** Number of traces performed through the program cache since the process started. */
export function programTraceCount(): number {
  return traceCount;
}

/** The signature of a call: argument structure, shapes and dtypes, plus the caller's extra key. */
export function signatureOf(args: readonly unknown[], extra = ""): string {
  return `${structure(args)}|${extra}`;
}

/**
 * The program for `fn` on arguments with this signature: cached, or built by `build` (which traces and
 * returns the traced call and its outputs; the trace is closed here).
 */
export function programFor(fn: object, signature: string, build: () => { call: TracedCall; outputs: Value[] }): Program {
  let perFn = byFunction.get(fn);
  const hit = perFn?.get(signature);
  if (hit) return hit;
  const { call, outputs } = build();
  traceCount++;
  call.trace.open = false;
  const graph = call.trace.graph;
  graph.outputs = outputs;
  const text = printGraph(graph, outputs);
  let plan = byGraph.get(text);
  if (!plan) {
    plan = compile(graph, outputs);
    if (byGraph.size >= MAX_STRUCTURAL) byGraph.delete(byGraph.keys().next().value!);
    byGraph.set(text, plan);
  }
  const inputIndex = new Map(graph.inputs.map((v, i) => [v, i]));
  const program: Program = {
    plan,
    argBindings: call.argInputs.map((a) => ({ inputIndex: inputIndex.get(a.value)!, argIndex: a.argIndex, path: a.path })),
    captured: call.trace.captured.map((array) => ({ inputIndex: inputIndex.get(call.trace.arrays.get(array)!.versions[0]!)!, array })),
    traces: 1,
  };
  if (!perFn) byFunction.set(fn, (perFn = new Map()));
  perFn.set(signature, program);
  return program;
}

/** Finds the array at `path` inside an argument ("" is the argument itself). */
export function leafAt(arg: unknown, path: string): NdArray {
  if (path === "") {
    if (arg instanceof Tensor) return arg.toNdarray();
    if (isNdarray(arg)) return arg;
  } else {
    const found = leaves(arg).find((l) => l.path === path);
    if (found) return found.value;
  }
  throw new GraphError(`program: no array at argument path '${path}'`);
}

/** Binds a call's arguments and the program's captured arrays to its plan. */
export function bindProgram(program: Program, args: readonly unknown[]): void {
  const { plan } = program;
  for (const b of program.argBindings) plan.bind(b.inputIndex, leafAt(args[b.argIndex], b.path));
  for (const c of program.captured) plan.bind(c.inputIndex, c.array);
}
