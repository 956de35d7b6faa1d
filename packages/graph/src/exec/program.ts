/**
 * Compiled programs, found by the structure of a fresh trace. Every call traces the function again, so
 * captured numbers and arrays, training modes and changed fields are read as they are now (Flux runs
 * the loss as written on every call). The traced graph's structural key (graph-key.ts) finds the
 * compiled program; only a miss emits derivative nodes and compiles. Binding is positional: input k of
 * this call's trace is input k of the cached program's graph, and the caller binds what it added after
 * them (shadows). A trace is looked up by a hash of its structure and compared field by field with
 * the structure kept from the call that built the program (graph-key.ts).
 *
 * A call traced against the forward trace of the program its function (or, failing that, its kind of
 * call) last used follows that template without building a graph (ir/trace-context.ts); when it matched to
 * the end, that program is the one, found with no hashing and no comparison pass.
 *
 * The cache is an LRU bounded by count and by arena bytes; an evicted plan frees its arena at once. A
 * cached program holds no array of any call: its plan is released after each run and its graph forgets
 * the arrays it was traced with.
 */
import type { Graph, Value } from "../ir/graph";
import { traceCall, type TracedCall } from "../trace";
import type { TraceTemplate } from "../ir/trace-context";
import { compile, type Plan } from "./plan";
import { traceHash, traceShape, matchesShape, resultKey, constantValues, type TraceShape } from "./graph-key";
import type { NdArray } from "../ndarray-util";
import { onHeapPressure } from "../memory";

/** A compiled program in the cache: its trace's structure and hash, its plan, and what its builder kept. */
export interface Program {
  readonly hash: number;
  /** The forward trace's structure, to recognise later calls by. */
  readonly shape: TraceShape;
  readonly plan: Plan;
  /** Anything the builder keeps with the program (e.g. output roles). */
  readonly meta: unknown;
  /** How many inputs the forward trace made; they come first in the program's graph. */
  readonly traceInputs: number;
}

/** The bounds of the program cache: how many programs and how many arena bytes it keeps. */
export interface CacheLimits {
  /** Most programs kept (default 256). */
  programs: number;
  /** Most bytes of plan arenas kept (default 512 MiB). */
  bytes: number;
}

/** The program cache's limits, what it holds now, and its hits, misses and evictions. */
export interface CacheStats extends CacheLimits {
  /** Programs and arena bytes held now. */
  readonly held: { programs: number; bytes: number };
  readonly hits: number;
  readonly misses: number;
  readonly evictions: number;
}

/** Programs by structural hash (collisions share a bucket), and every program in LRU order (oldest first). */
const buckets = new Map<number, Program[]>();
const programs = new Map<Program, true>();
let mostRecent: Program | undefined;
const limits: CacheLimits = { programs: 256, bytes: 512 * 1024 ** 2 };
let heldBytes = 0, hits = 0, misses = 0, evictions = 0;
/** The program each traced function, and each kind of call (`extra`), used last: the template a new trace follows. */
const lastByFunction = new WeakMap<object, Program>();
const lastByExtra = new Map<string, Program>();
const programOfTemplate = new WeakMap<TraceTemplate, Program>();

/** Number of programs built (traced with derivatives and compiled) since the process started. */
export function programTraceCount(): number {
  return misses;
}

/** The cache's limits, what it holds, and its hit, miss and eviction counts. */
export function cacheStats(): CacheStats {
  return { ...limits, held: { programs: programs.size, bytes: heldBytes }, hits, misses, evictions };
}

function evict(p: Program): void {
  programs.delete(p);
  if (mostRecent === p) mostRecent = undefined;
  if (lastByExtra.get(p.shape.extra) === p) lastByExtra.delete(p.shape.extra);
  const bucket = buckets.get(p.hash)!;
  bucket.splice(bucket.indexOf(p), 1);
  if (bucket.length === 0) buckets.delete(p.hash);
  heldBytes -= p.plan.arenaBytes;
  evictions++;
  p.plan.dispose();
}

/** Changes the cache's limits (evicting at once what no longer fits); returns the previous limits. */
export function setCacheLimits(next: Partial<CacheLimits>): CacheLimits {
  const old = { ...limits };
  for (const [k, v] of Object.entries(next) as [keyof CacheLimits, number][]) {
    if (!(Number.isInteger(v) && v >= 0)) throw new RangeError(`setCacheLimits: ${k} must be a non-negative integer, got ${v}`);
    limits[k] = v;
  }
  evictOverflow(false, 0);
  return old;
}

/** Under heap pressure, every cached program but the most recently used one gives its memory back. */
onHeapPressure(() => {
  const keep = [...programs.keys()].pop();
  for (const p of [...programs.keys()]) if (p !== keep) evict(p);
});

/** Drops every cached program and frees its plan's memory. */
export function clearCaches(): void {
  for (const p of [...programs.keys()]) evict(p);
}

function evictOverflow(incoming: boolean, bytes: number): void {
  for (const p of [...programs.keys()]) {
    if (programs.size + (incoming ? 1 : 0) <= limits.programs && heldBytes + bytes <= limits.bytes) return;
    evict(p);
  }
}

/**
 * The program for a traced call: a cached one with the same structure (the trace, its result, and the
 * caller's `extra` key: activities, options), or one built by `build`, which extends the call's trace
 * (derivative nodes, shadow inputs) and returns the outputs to compute.
 */
export function programFor(call: TracedCall, extra: string, build: () => { outputs: Value[]; meta?: unknown }): Program {
  const result = resultKey(call.result);
  const replay = call.trace.replaying;
  if (replay?.complete) {
    const known = programOfTemplate.get(replay.template);
    if (known && programs.has(known) && known.shape.extra === extra && known.shape.result === result) return useProgram(call, extra, known, replay.constants);
  }
  const graph = call.trace.graph;
  const hash = traceHash(graph, result, extra);
  const bucket = buckets.get(hash);
  if (bucket) {
    for (const known of bucket) {
      if (matchesShape(known.shape, graph, result, extra)) return useProgram(call, extra, known, constantValues(graph));
    }
  }
  const traceInputs = graph.inputs.length;
  const shape = traceShape(graph, result, extra);
  const { outputs, meta } = build();
  call.trace.open = false;
  graph.outputs = outputs;
  const plan = compile(graph, outputs);
  forgetArrays(call);
  misses++;
  const program: Program = { hash, shape, plan, meta, traceInputs };
  programOfTemplate.set(shape, program);
  remember(call, extra, program, true);
  evictOverflow(true, plan.arenaBytes);
  touch(program);
  const list = buckets.get(hash);
  if (list) list.push(program);
  else buckets.set(hash, [program]);
  heldBytes += plan.arenaBytes;
  return program;
}

/** Makes `p` the most recently used program (a training loop using one program reorders nothing). */
function touch(p: Program): void {
  if (mostRecent === p) return;
  programs.delete(p);
  programs.set(p, true);
  mostRecent = p;
}

/** A cache hit: the program becomes the most recently used and takes this call's constants. */
function useProgram(call: TracedCall, extra: string, known: Program, constants: readonly number[]): Program {
  hits++;
  touch(known);
  for (let k = 0; k < constants.length; k++) known.plan.setConstant(k, constants[k]!);
  remember(call, extra, known, false);
  return known;
}

/**
 * Records `program` as the last one of its kind of call, and of its function when the function built a
 * program or already has one: a fresh closure found by its kind of call (Flux's inline style) adds no entry.
 */
function remember(call: TracedCall, extra: string, program: Program, built: boolean): void {
  const byFunction = lastByFunction.get(call.fn);
  if (byFunction !== program && (built || byFunction !== undefined)) lastByFunction.set(call.fn, program);
  if (lastByExtra.get(extra) !== program) lastByExtra.set(extra, program);
}

/** The forward trace a new call of `f` is expected to repeat: that of the program `f`, or else this kind of call, used last. */
function templateFor(f: object, extra: string): TraceTemplate | undefined {
  const byFunction = lastByFunction.get(f);
  if (usable(byFunction, extra)) return byFunction.shape;
  const byExtra = lastByExtra.get(extra);
  return usable(byExtra, extra) ? byExtra.shape : undefined;
}

/** Whether `p` is still cached and was built for this kind of call. */
function usable(p: Program | undefined, extra: string): p is Program {
  return p !== undefined && programs.has(p) && p.shape.extra === extra;
}

/** Traces `f(...args)` for programFor with this `extra` key, following the template its last program gives. */
export function traceForProgram(f: (...args: never[]) => unknown, args: readonly unknown[], extra: string): TracedCall {
  return traceCall(f, args, templateFor(f, extra));
}

/** Drops the trace's references to the arrays it was traced with (the program outlives them). */
function forgetArrays(call: TracedCall): void {
  call.trace.forgetArrays();
  forgetSources(call.trace.graph);
}

/** Clears the arrays recorded on a graph's inputs. */
function forgetSources(graph: Graph): void {
  for (const v of graph.inputs) {
    const info = v.buffer.input;
    if (info) info.source = undefined;
  }
}

/** The arrays behind a trace's inputs, in order (arguments' leaves and captured arrays). */
export function traceArrays(call: TracedCall): readonly (NdArray | undefined)[] {
  return call.trace.inputArrays.slice();
}

/** Binds the arrays of a call's trace (from traceArrays, taken before programFor) to the program's plan. */
export function bindTraceArrays(program: Program, arrays: readonly (NdArray | undefined)[]): void {
  const plan = program.plan;
  for (let k = 0; k < program.traceInputs; k++) plan.bind(k, arrays[k]!);
}
