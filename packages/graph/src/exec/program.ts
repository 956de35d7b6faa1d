/**
 * A traced function compiled for one argument signature: its plan plus how to bind arguments and
 * captured arrays. Programs are cached by function and signature (structure, shapes, dtypes, and what
 * the caller adds, e.g. activity). A fresh closure with the same graph finds the same plan by the
 * graph's printed text and binds its own captured arrays.
 *
 * Object arguments (models) are read once per object: later calls with the same object reuse its
 * signature and its leaf arrays, checking only that each array is still the one at its place. Mutate
 * arrays in place (as optimisers do); replacing an array is noticed, restructuring a model in place
 * (adding layers to the same object) is not.
 */
import type { Value } from "../ir/graph";
import type { TracedCall } from "../trace";
import { compile, type Plan } from "./plan";
import { printGraph } from "../ir/print";
import { structure, leaves, isNode } from "../tree/tree";
import { isNdarray, dtypeOf, type NdArray } from "../ndarray-util";
import { Tensor } from "../tensor";
import { GraphError } from "../errors";

export interface Program {
  readonly plan: Plan;
  /** For each graph input from an argument leaf: where to find its array in a later call's arguments. */
  readonly argBindings: readonly { inputIndex: number; argIndex: number; path: string }[];
  /** Captured arrays, bound by reference. */
  readonly captured: readonly { inputIndex: number; array: NdArray }[];
  /** Anything the builder wants to keep with the program (e.g. output roles). */
  readonly meta: unknown;
}

const MAX_STRUCTURAL = 512;
const byFunction = new WeakMap<object, Map<string, Program>>();
const byGraph = new Map<string, Plan>();
let traceCount = 0;

/** Number of traces performed through the program cache since the process started. */
export function programTraceCount(): number {
  return traceCount;
}

/** Object arguments seen before: their structure string and the ids used in quick keys. */
const objectIds = new WeakMap<object, { id: number; structure: string }>();
let nextObjectId = 1;

function objectEntry(o: object): { id: number; structure: string } {
  let e = objectIds.get(o);
  if (!e) objectIds.set(o, (e = { id: nextObjectId++, structure: structure(o) }));
  return e;
}

/** A cheap key for a call: arrays by dtype and shape, numbers by value, objects by identity. */
function quickKey(args: readonly unknown[], extra: string): string {
  let key = extra;
  for (const a of args) {
    if (a instanceof Tensor) key += a.isSymbolic ? "|s" : `|${a.dtype}${a.shape.join(",")}`;
    else if (isNdarray(a)) key += `|${dtypeOf("key", a)}${a.shape.join(",")}`;
    else if (isNode(a)) key += `|o${objectEntry(a).id}`;
    else key += `|${typeof a === "function" ? "f" : String(a)}`;
  }
  return key;
}

/** The full signature of a call: argument structure, shapes and dtypes, plus the caller's extra key. */
export function signatureOf(args: readonly unknown[], extra = ""): string {
  return `${args.map((a) => (isNode(a) ? objectEntry(a).structure : structure(a))).join(";")}|${extra}`;
}

/**
 * The program for `fn` called with `args`: cached, or built by `build` (which traces and returns the
 * traced call, its outputs and any metadata; the trace is closed here).
 */
export function programFor(fn: object, args: readonly unknown[], extra: string, build: () => { call: TracedCall; outputs: Value[]; meta?: unknown }): Program {
  let perFn = byFunction.get(fn);
  if (!perFn) byFunction.set(fn, (perFn = new Map()));
  const quick = quickKey(args, extra);
  const hit = perFn.get(quick);
  if (hit && leavesStillBound(hit, args)) return hit;
  const signature = signatureOf(args, extra);
  const known = perFn.get(signature);
  if (known && leavesStillBound(known, args)) {
    perFn.set(quick, known);
    return known;
  }
  const program = buildProgram(build);
  perFn.set(signature, program);
  perFn.set(quick, program);
  return program;
}

function buildProgram(build: () => { call: TracedCall; outputs: Value[]; meta?: unknown }): Program {
  const { call, outputs, meta } = build();
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
  return {
    plan,
    argBindings: call.argInputs.map((a) => ({ inputIndex: inputIndex.get(a.value)!, argIndex: a.argIndex, path: a.path })),
    captured: call.trace.captured.map((array) => ({ inputIndex: inputIndex.get(call.trace.arrays.get(array)!.versions[0]!)!, array })),
    meta,
  };
}

type Located = { parent: object | undefined; key: string | number | undefined; array: NdArray };

/** Per program, argument index and object argument: the arrays at the bound paths, and where each sits. */
const resolved = new WeakMap<Program, Map<number, WeakMap<object, Located[]>>>();

/** The arrays of `arg` at the paths argument `argIndex` is bound at, or undefined if one is missing. */
function resolveObject(program: Program, argIndex: number, arg: object): Located[] | undefined {
  let perIndex = resolved.get(program);
  if (!perIndex) resolved.set(program, (perIndex = new Map()));
  let perArg = perIndex.get(argIndex);
  if (!perArg) perIndex.set(argIndex, (perArg = new WeakMap()));
  const cached = perArg.get(arg);
  if (cached && cached.every((e) => e.parent === undefined || (e.parent as Record<string | number, unknown>)[e.key!] === e.array)) return cached;
  const byPath = new Map(leaves(arg).map((l) => [l.path, l] as const));
  const entries: Located[] = [];
  for (const b of program.argBindings) {
    if (b.argIndex !== argIndex) continue;
    const leaf = byPath.get(b.path);
    if (!leaf) return undefined;
    entries.push({ parent: leaf.parent, key: leaf.key, array: leaf.value });
  }
  perArg.set(arg, entries);
  return entries;
}

function leavesStillBound(program: Program, args: readonly unknown[]): boolean {
  return program.argBindings.every((b) => {
    const arg = args[b.argIndex];
    return !isNode(arg) || resolveObject(program, b.argIndex, arg) !== undefined;
  });
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

/** Binds a call's arguments and the program's captured arrays to its plan (without walking known objects again). */
export function bindProgram(program: Program, args: readonly unknown[]): void {
  const { plan, argBindings } = program;
  let currentIndex = -1, located: Located[] | undefined, k = 0;
  for (let i = 0; i < argBindings.length; i++) {
    const b = argBindings[i]!;
    const arg = args[b.argIndex];
    if (!isNode(arg)) {
      plan.bind(b.inputIndex, leafAt(arg, b.path));
      continue;
    }
    if (b.argIndex !== currentIndex) {
      currentIndex = b.argIndex;
      located = resolveObject(program, b.argIndex, arg);
      k = 0;
      if (!located) throw new GraphError(`program: argument ${b.argIndex + 1} has no array at '${b.path}'`);
    }
    plan.bind(b.inputIndex, located![k++]!.array);
  }
  for (let i = 0; i < program.captured.length; i++) plan.bind(program.captured[i]!.inputIndex, program.captured[i]!.array);
}
