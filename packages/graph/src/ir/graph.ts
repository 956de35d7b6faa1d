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
import { GraphError } from "../errors";
import type { AttrsOf, OpName } from "../ops/attrs";

/** The shape and element type of a value. */
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

/** A piece of storage: its versions are the SSA values an in-place op defines one after another. */
export interface Buffer {
  readonly id: number;
  /** Print name for graph inputs (`x0`, `x0.layers[0].weight`); undefined for intermediates. */
  readonly name: string | undefined;
  readonly versions: Value[];
  readonly input: InputInfo | undefined;
}

/** An SSA value: one version of a buffer, defined by one node (or a graph input). */
export interface Value extends ValueType {
  readonly id: number;
  readonly buffer: Buffer;
  readonly version: number;
  /** The node that defines this value; null for graph inputs. */
  readonly producer: Node | null;
}

/** A node applying op `K`, with `K`'s attributes. */
export interface NodeOf<K extends OpName> {
  readonly index: number;
  readonly op: K;
  readonly inputs: readonly Value[];
  readonly attrs: Readonly<AttrsOf[K]>;
  readonly output: Value;
}

/** Any node: a union over the ops, so checking `op` narrows `attrs`. */
export type Node = { [K in OpName]: NodeOf<K> }[OpName];

/**
 * A graph's records are class instances, and their arrays are not made by literals: V8 tracks the
 * allocation site of each object and array literal, and once a large graph's records survive
 * collections it switches the site to old-space allocation and discards every optimized function that
 * allocates there, in the middle of the first call of a deep model. `new` and `Array.of` are not tracked so.
 */
class GraphBuffer implements Buffer {
  readonly versions: Value[] = Array.of();
  constructor(readonly id: number, readonly name: string | undefined, readonly input: InputInfo | undefined) {}
}

class GraphValue implements Value {
  readonly shape: Shape;
  readonly dtype: DType;
  constructor(readonly id: number, type: ValueType, readonly buffer: Buffer, readonly version: number, readonly producer: Node | null) {
    this.shape = type.shape.slice();
    this.dtype = type.dtype;
  }
}

/** The node object the graph builds: its output is set once, right after the node is made. */
class GraphNode<K extends OpName> implements NodeOf<K> {
  output!: Value;
  constructor(public index: number, readonly op: K, readonly inputs: readonly Value[], readonly attrs: Readonly<AttrsOf[K]>) {}
}

/** What `graph.stats()` reports. */
export interface GraphStats {
  /** Number of nodes of each op. */
  readonly nodes: Record<string, number>;
  readonly totalNodes: number;
  /** Floating-point operations of one run of the nodes the outputs need. */
  readonly flops: number;
  /** Bytes of the arena of the compiled plan (every intermediate and output). */
  readonly arenaBytes: number;
}

let statsOf: ((graph: Graph) => GraphStats) | undefined;

/** Installs how `graph.stats()` is computed: exec/stats.ts does, when it loads (it compiles a plan, which ir/ does not import). */
export function provideGraphStats(compute: (graph: Graph) => GraphStats): void {
  statsOf = compute;
}

let nextGraphId = 1;

/** A traced function: its inputs, nodes in topological order and outputs. */
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
    if (statsOf === undefined) throw new GraphError("graph.stats() is computed by exec/stats.ts, which the package index loads: import @tsflux/graph");
    return statsOf(this);
  }

  /** Adds a graph input (an argument leaf or a captured array). */
  addInput(type: ValueType, name: string, info: InputInfo): Value {
    const buffer = new GraphBuffer(this.buffers.length, name, info);
    this.buffers.push(buffer);
    const value = this.newValue(type, buffer, null);
    this.inputs.push(value);
    return value;
  }

  /** Appends a pure node: its output is version 0 of a fresh buffer. */
  addNode<K extends OpName>(op: K, inputs: readonly Value[], attrs: AttrsOf[K], type: ValueType): Value {
    const buffer = new GraphBuffer(this.buffers.length, undefined, undefined);
    this.buffers.push(buffer);
    return this.pushNode(op, inputs, attrs, type, buffer);
  }

  /** Appends an in-place node: its output is the next version of `target`'s buffer. */
  addInPlaceNode<K extends OpName>(op: K, target: Value, inputs: readonly Value[], attrs: AttrsOf[K]): Value {
    return this.pushNode(op, inputs, attrs, target, target.buffer);
  }

  /** The newest version of a buffer. */
  latest(buffer: Buffer): Value {
    return buffer.versions[buffer.versions.length - 1]!;
  }

  private pushNode<K extends OpName>(op: K, inputs: readonly Value[], attrs: AttrsOf[K], type: ValueType, buffer: Buffer): Value {
    // TypeScript cannot see that NodeOf<K> for a generic K is one member of the union over all ops
    const node = new GraphNode(this.nodes.length, op, [...inputs], attrs) as GraphNode<K> & Node;
    const value = this.newValue(type, buffer, node);
    node.output = value;
    this.nodes.push(node);
    return value;
  }

  private newValue(type: ValueType, buffer: Buffer, producer: Node | null): Value {
    const value = new GraphValue(this.valueCount++, type, buffer, buffer.versions.length, producer);
    buffer.versions.push(value);
    return value;
  }
}
