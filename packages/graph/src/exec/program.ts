/**
 * Compiled programs, found by the structure of a fresh trace. Every call traces the function again, so
 * captured numbers and arrays, training modes and changed fields are read as they are now (Flux runs
 * the loss as written on every call). The traced graph's structural key (graph-key.ts) finds the
 * compiled program; only a miss emits derivative nodes and compiles. Binding is positional: input k of
 * this call's trace is input k of the cached program's graph, and the caller binds what it added after
 * them (shadows).
 *
 * The cache is an LRU bounded by count and by arena bytes; an evicted plan frees its arena at once. A
 * cached program holds no array of any call: its plan is released after each run and its graph forgets
 * the arrays it was traced with.
 */
import type { Graph, Value } from "../ir/graph";
import type { TracedCall } from "../trace";
import { compile, type Plan } from "./plan";
import { graphKey } from "./graph-key";
import type { NdArray } from "../ndarray-util";
import { onHeapPressure } from "../memory";

export interface Program {
  readonly key: string;
  readonly plan: Plan;
  /** Anything the builder keeps with the program (e.g. output roles). */
  readonly meta: unknown;
  /** How many inputs the forward trace made; they come first in the program's graph. */
  readonly traceInputs: number;
}

export interface CacheLimits {
  /** Most programs kept (default 256). */
  programs: number;
  /** Most bytes of plan arenas kept (default 512 MiB). */
  bytes: number;
}

export interface CacheStats extends CacheLimits {
  /** Programs and arena bytes held now. */
  readonly held: { programs: number; bytes: number };
  readonly hits: number;
  readonly misses: number;
  readonly evictions: number;
}

const programs = new Map<string, Program>();
const limits: CacheLimits = { programs: 256, bytes: 512 * 1024 ** 2 };
let heldBytes = 0, hits = 0, misses = 0, evictions = 0;

/** Number of programs built (traced with derivatives and compiled) since the process started. */
export function programTraceCount(): number {
  return misses;
}

/** The cache's limits, what it holds, and its hit, miss and eviction counts. */
export function cacheStats(): CacheStats {
  return { ...limits, held: { programs: programs.size, bytes: heldBytes }, hits, misses, evictions };
}

/** Changes the cache's limits (evicting at once what no longer fits); returns the previous limits. */
export function setCacheLimits(next: Partial<CacheLimits>): CacheLimits {
  const old = { ...limits };
  for (const [k, v] of Object.entries(next) as [keyof CacheLimits, number][]) {
    if (!(Number.isInteger(v) && v >= 0)) throw new RangeError(`setCacheLimits: ${k} must be a non-negative integer, got ${v}`);
    limits[k] = v;
  }
  evictOverflow(0);
  return old;
}

/** Under heap pressure, every cached program but the most recently used one gives its memory back. */
onHeapPressure(() => {
  const keep = [...programs.keys()].pop();
  for (const [key, p] of programs) {
    if (key === keep) continue;
    programs.delete(key);
    heldBytes -= p.plan.arenaBytes;
    evictions++;
    p.plan.dispose();
  }
});

/** Drops every cached program and frees its plan's memory. */
export function clearCaches(): void {
  for (const p of programs.values()) p.plan.dispose();
  programs.clear();
  heldBytes = 0;
}

function evictOverflow(incoming: number): void {
  for (const [key, p] of programs) {
    if (programs.size + (incoming > 0 ? 1 : 0) <= limits.programs && heldBytes + incoming <= limits.bytes) return;
    programs.delete(key);
    heldBytes -= p.plan.arenaBytes;
    evictions++;
    p.plan.dispose();
  }
}

/** The structural key of a call: the traced graph, what the function returned, and the caller's extra key. */
export function callKey(call: TracedCall, extra: string): string {
  return `${extra}\n${graphKey(call.trace.graph, call.result)}`;
}

/**
 * The program for a traced call: cached under `key`, or built by `build`, which extends the call's
 * trace (derivative nodes, shadow inputs) and returns the outputs to compute.
 */
export function programFor(call: TracedCall, key: string, build: () => { outputs: Value[]; meta?: unknown }): Program {
  const known = programs.get(key);
  if (known) {
    hits++;
    programs.delete(key);
    programs.set(key, known);
    return known;
  }
  const traceInputs = call.trace.graph.inputs.length;
  const { outputs, meta } = build();
  call.trace.open = false;
  const graph = call.trace.graph;
  graph.outputs = outputs;
  const plan = compile(graph, outputs);
  forgetArrays(call);
  misses++;
  const program: Program = { key, plan, meta, traceInputs };
  evictOverflow(plan.arenaBytes);
  programs.set(key, program);
  heldBytes += plan.arenaBytes;
  return program;
}

/** Drops the trace's references to the arrays it was traced with (the program outlives them). */
function forgetArrays(call: TracedCall): void {
  call.trace.arrays.clear();
  call.trace.captured.length = 0;
  forgetSources(call.trace.graph);
}

/** Clears the arrays recorded on a graph's inputs. */
export function forgetSources(graph: Graph): void {
  for (const v of graph.inputs) {
    const info = v.buffer.input;
    if (info) info.source = undefined;
  }
}

/** The arrays behind a trace's inputs, in order (arguments' leaves and captured arrays). */
export function traceArrays(call: TracedCall): NdArray[] {
  return call.trace.graph.inputs.map((v) => v.buffer.input!.source!);
}

/** Binds the arrays of a call's trace (from traceArrays, taken before programFor) to the program's plan. */
export function bindTraceArrays(program: Program, arrays: readonly NdArray[]): void {
  const plan = program.plan;
  for (let k = 0; k < program.traceInputs; k++) plan.bind(k, arrays[k]!);
}
