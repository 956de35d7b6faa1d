/**
 * The IR: SSA values in versioned buffers, nodes in topological order.
 *
 * A pure op defines a new buffer at version 0. An in-place op reads `b@v` and defines `b@v+1`
 * (the op family in ops/state.ts). Values are never changed once defined.
 */
import type { DType } from "../dtype";
import type { Shape } from "../shape";
import type { NdArray } from "../ndarray-util";
import { printGraph } from "./print";
import { graphStats, type GraphStats } from "./stats";

/** The shape and dtype of a value. */
export interface ValueType {
  readonly shape: Shape;
  readonly dtype: DType;
}

/** Where a graph input comes from: an argument leaf, or an array the function captured. */
export type InputKind = "arg" | "captured";

export interface InputInfo {
  readonly kind: InputKind;
  /** For "arg": index of the argument; -1 for captured arrays. */
  readonly argIndex: number;
  /** Tree path inside the argument (`.layers[0].weight`), empty for a whole-array argument. */
  readonly path: string;
  /** The array this input stood for when traced (cleared when a cached program keeps the graph). */
  source?: NdArray | undefined;
}

/** Storage that values of a graph are versions of (an input array, or an intermediate). */
export interface Buffer {
  readonly id: number;
  /** Print name for graph inputs (`x0`, `x0.layers[0].weight`); undefined for intermediates. */
  readonly name: string | undefined;
  readonly versions: Value[];
  readonly input: InputInfo | undefined;
}

/** One version of a buffer in a graph: an input, or the output of one node. */
export interface Value extends ValueType {
  readonly id: number;
  readonly buffer: Buffer;
  readonly version: number;
  /** The node that defines this value; null for graph inputs. */
  readonly producer: Node | null;
}

/** One operation of a graph: its op, attributes, input values and output value. */
export interface Node {
  readonly index: number;
  readonly op: string;
  readonly inputs: readonly Value[];
  readonly attrs: Readonly<Record<string, unknown>>;
  readonly output: Value;
}

let nextGraphId = 1;

/** A traced dataflow graph: inputs, nodes in execution order, and outputs. */
export class Graph {
  readonly id = nextGraphId++;
  readonly nodes: Node[] = [];
  readonly inputs: Value[] = [];
  readonly buffers: Buffer[] = [];
  outputs: Value[] = [];
  private valueCount = 0;

  /** Stable jaxpr-like text of the graph (see ir/print.ts). */
  toString(): string {
    return printGraph(this);
  }

  /** Node counts by op, FLOPs and the compiled plan's arena bytes. */
  stats(): GraphStats {
    return graphStats(this);
  }

  /** Adds a graph input (an argument leaf or a captured array). */
  addInput(type: ValueType, name: string, info: InputInfo): Value {
    const buffer: Buffer = { id: this.buffers.length, name, versions: [], input: info };
    this.buffers.push(buffer);
    const value = this.newValue(type, buffer, null);
    this.inputs.push(value);
    return value;
  }

  /** Appends a pure node: its output is version 0 of a fresh buffer. */
  addNode(op: string, inputs: readonly Value[], attrs: Record<string, unknown>, type: ValueType): Value {
    const buffer: Buffer = { id: this.buffers.length, name: undefined, versions: [], input: undefined };
    this.buffers.push(buffer);
    return this.pushNode(op, inputs, attrs, type, buffer);
  }

  /** Appends an in-place node: its output is the next version of `target`'s buffer. */
  addInPlaceNode(op: string, target: Value, inputs: readonly Value[], attrs: Record<string, unknown>): Value {
    return this.pushNode(op, inputs, attrs, target, target.buffer);
  }

  /** Inserts a pure node at position `index` (before the node now there) and renumbers the rest. */
  insertNode(index: number, op: string, inputs: readonly Value[], attrs: Record<string, unknown>, type: ValueType): Value {
    const value = this.addNode(op, inputs, attrs, type);
    const node = this.nodes.pop()!;
    this.nodes.splice(index, 0, node);
    for (let i = index; i < this.nodes.length; i++) (this.nodes[i] as { index: number }).index = i;
    return value;
  }

  /** The newest version of a buffer. */
  latest(buffer: Buffer): Value {
    return buffer.versions[buffer.versions.length - 1]!;
  }

  private pushNode(op: string, inputs: readonly Value[], attrs: Record<string, unknown>, type: ValueType, buffer: Buffer): Value {
    const node = { index: this.nodes.length, op, inputs: [...inputs], attrs, output: undefined as unknown as Value };
    const value = this.newValue(type, buffer, node);
    (node as { output: Value }).output = value;
    this.nodes.push(node);
    return value;
  }

  private newValue(type: ValueType, buffer: Buffer, producer: Node | null): Value {
    const value: Value = { id: this.valueCount++, shape: [...type.shape], dtype: type.dtype, buffer, version: buffer.versions.length, producer };
    buffer.versions.push(value);
    return value;
  }
}

/** Consumers of each value, in node order. */
export function consumers(nodes: readonly Node[]): Map<Value, Node[]> {
  const map = new Map<Value, Node[]>();
  for (const node of nodes) {
    for (const x of node.inputs) {
      const list = map.get(x);
      if (list) list.push(node);
      else map.set(x, [node]);
    }
  }
  return map;
}
