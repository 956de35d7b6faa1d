/**
 * Tracing: running a function on symbolic tensors to record its graph. Array arguments (and every
 * array inside an object argument, such as a model's parameters) become graph inputs; arrays the
 * function reaches otherwise become captured inputs, bound by reference.
 */
import { Tensor } from "./tensor";
import { GraphError } from "./errors";
import { Trace, withTrace } from "./ir/trace-context";
import type { TraceTemplate } from "./ir/trace-context";
import type { Graph, Value } from "./ir/graph";
import { isNdarray, type NdArray } from "./ndarray-util";
import { isNode, childrenOf } from "./tree/tree";
import { forEachArrayLeaf } from "./tree/leaf-walk";
import { graphChecksEnabled, verifyGraph } from "./ir/verify";

/** A graph input made from a leaf of a traced call's argument: which argument and where inside it. */
export interface ArgInput {
  readonly argIndex: number;
  /** Path of the leaf inside its argument ("" for an array argument). */
  readonly path: string;
  readonly value: Value;
  readonly array: NdArray;
}

/** A function traced on its arguments: the function, the trace, the inputs made from argument leaves, and the result. */
export interface TracedCall {
  readonly fn: (...args: never[]) => unknown;
  readonly trace: Trace;
  /** One entry per graph input made from an argument leaf (each array once); reading it writes the trace's graph. */
  readonly argInputs: ArgInput[];
  /** What the function returned (symbolic tensors in place of values). */
  readonly result: unknown;
}

class Call implements TracedCall {
  private inputs: ArgInput[] | undefined;
  constructor(readonly fn: (...args: never[]) => unknown, readonly trace: Trace, readonly result: unknown, private readonly argCount: number) {}

  get argInputs(): ArgInput[] {
    if (this.inputs) return this.inputs;
    const arrays = this.trace.inputArrays;
    this.inputs = [];
    this.trace.graph.inputs.forEach((value, k) => {
      const info = value.buffer.input!, array = arrays[k];
      if (info.kind === "arg" && info.argIndex < this.argCount && array) this.inputs!.push({ argIndex: info.argIndex, path: info.path, value, array });
    });
    return this.inputs;
  }
}

/** The symbolic stand-in for argument `i` inside the trace. */
function symbolicArgument(trace: Trace, arg: unknown, i: number): unknown {
  const register = (array: NdArray, path: string): Value => {
    const known = trace.knownBuffer(array);
    if (known !== undefined) return trace.latest(known);
    return trace.addArgument(array, i, path);
  };
  if (arg instanceof Tensor) {
    if (arg.isSymbolic) throw new GraphError(`trace: argument ${i + 1} is already symbolic; call trace outside traced functions`);
    return Tensor.following(trace, register(arg.toNdarray(), "").buffer);
  }
  if (isNdarray(arg)) return Tensor.following(trace, register(arg, "").buffer);
  if (isNode(arg)) forEachArrayLeaf(arg, register);
  return arg;
}

/**
 * Traces `f(...args)` into a new graph and leaves the trace open so callers can add derivative nodes.
 * With a `template` (a cached program's forward trace), the trace follows it without building a graph
 * for as long as `f` does the same (ir/trace-context.ts).
 */
export function traceCall(f: (...args: never[]) => unknown, args: readonly unknown[], template?: TraceTemplate): TracedCall {
  const trace = new Trace(template);
  const result = withTrace(trace, () => {
    const symbolic = args.map((a, i) => symbolicArgument(trace, a, i));
    return (f as (...a: unknown[]) => unknown)(...symbolic);
  }, true);
  return new Call(f, trace, result, args.length);
}

/** The symbolic tensors in a function's result, in order (a Tensor, or arrays/objects of them). */
export function resultTensors(result: unknown): Tensor[] {
  if (result instanceof Tensor) return [result];
  if (!isNode(result)) return [];
  return childrenOf(result).flatMap(([, v]) => resultTensors(v));
}

/** The static graph of `f` on these arguments; its outputs are the tensors `f` returns. */
export function trace(f: (...args: never[]) => unknown, ...args: unknown[]): Graph {
  const { trace: t, result } = traceCall(f, args);
  t.graph.outputs = resultTensors(result).map((r) => r.value);
  t.open = false;
  if (graphChecksEnabled()) verifyGraph(t.graph);
  return t.graph;
}
