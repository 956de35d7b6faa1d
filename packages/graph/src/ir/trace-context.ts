/**
 * The trace being recorded. While a trace is open, every op emits a node into its graph; arrays the
 * traced function reaches that are not its arguments become captured inputs, bound by reference.
 */
import { Graph, type Buffer, type Value, type ValueType } from "./graph";
import { GraphError } from "../errors";
import { dtypeOf, type NdArray } from "../ndarray-util";

/** A trace in progress: the graph being built and the buffers standing for the arrays it has seen. */
export class Trace {
  readonly graph = new Graph();
  /** Array object -> the buffer standing for it (arguments and captured arrays). */
  readonly arrays = new Map<NdArray, Buffer>();
  /** Captured arrays in order of first use; a structurally equal trace binds its own in the same order. */
  readonly captured: NdArray[] = [];
  open = true;

  /** Registers an argument leaf as a graph input. */
  addArgument(array: NdArray | ValueType, argIndex: number, path: string, name: string): Value {
    const type = "data" in array ? { shape: array.shape, dtype: dtypeOf(name, array) } : array;
    const value = this.graph.addInput(type, name, { kind: "arg", argIndex, path, source: "data" in array ? array : undefined });
    if ("data" in array) this.arrays.set(array, value.buffer);
    return value;
  }

  /** The buffer for an array the function touches: its argument input, or a new captured input. */
  bufferOf(array: NdArray): Buffer {
    const known = this.arrays.get(array);
    if (known) return known;
    const name = `c${this.captured.length}`;
    const value = this.graph.addInput({ shape: array.shape, dtype: dtypeOf("capture", array) }, name, {
      kind: "captured",
      argIndex: -1,
      path: "",
      source: array,
    });
    this.captured.push(array);
    this.arrays.set(array, value.buffer);
    return value.buffer;
  }
}

const stack: Trace[] = [];

/** The innermost open trace, or undefined when not tracing. */
export function currentTrace(): Trace | undefined {
  return stack[stack.length - 1];
}

/** Runs `body` with `trace` as the current trace; the trace stays open afterwards only if `keepOpen`. */
export function withTrace<T>(trace: Trace, body: () => T, keepOpen = false): T {
  if (!trace.open) throw new GraphError("trace: this trace is already finished");
  stack.push(trace);
  try {
    return body();
  } finally {
    stack.pop();
    if (!keepOpen) trace.open = false;
  }
}
