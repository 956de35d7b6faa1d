/**
 * The trace being recorded. While a trace is open, every op emits a node into its graph; arrays the
 * traced function reaches that are not its arguments become captured inputs, bound by reference.
 *
 * A trace given a template (the forward trace of a cached program) follows it instead of building a
 * graph, for as long as every input and node matches the template's (same kind, place and type; same
 * op, operands, structural attributes and output). Its tensors stand for the template's values, and it
 * keeps only what differs per call (the arrays bound to the inputs, the constants' values, the nodes'
 * attribute objects). At the first difference it writes the graph of
 * what it has seen so far, which is the graph a fresh trace would have built, and records from there;
 * reading `graph` does the same. Tensors name buffers by id and values by buffer and version, so they
 * stay valid across that switch.
 */
import { Graph, type InputKind, type Value, type ValueType } from "./graph";
import { GraphError } from "../errors";
import { dtypeOfArray, type DType } from "../dtype";
import { dtypeOf, type NdArray } from "../ndarray-util";
import { arrayBytes, type Shape } from "../shape";
import { opDef } from "../ops/table";
import type { AttrsOf, OpName } from "../ops/attrs";
import { sameAttrsExcept, sameType } from "./attrs-equal";

/** A graph input of a template: where it comes from, and its value. */
export interface TemplateInput {
  readonly kind: InputKind;
  readonly argIndex: number;
  readonly path: string;
  readonly value: Value;
}

/** A node of a template: its op, structural attributes (without a constant's value), operand ids and output. */
export interface TemplateNode {
  readonly op: OpName;
  readonly attrs: Readonly<Record<string, unknown>>;
  readonly ins: readonly number[];
  readonly out: Value;
}

/** The forward trace of a cached program: its inputs and nodes in order. */
export interface TraceTemplate {
  readonly inputs: readonly TemplateInput[];
  readonly nodes: readonly TemplateNode[];
}

/** How far a trace has followed its template, and what it saw that is per call. */
export class Replay {
  /** Template inputs and nodes matched so far, and the values they defined. */
  inputCount = 0;
  nodeCount = 0;
  valueCount = 0;
  /** The newest template value of each buffer reached so far, by buffer id. */
  readonly latest: Value[] = [];
  /** The attribute objects of the matched nodes (a constant's value differs per call). */
  readonly attrs: Readonly<AttrsOf[OpName]>[] = [];
  /** The values of the matched constants, in node order: what the program binds per call. */
  readonly constants: number[] = [];

  constructor(readonly template: TraceTemplate) {}

  /** The template's next input if the trace's next input matches it, else undefined. */
  input(kind: InputKind, argIndex: number, path: string, shape: Shape, dtype: DType): Value | undefined {
    const t = this.template.inputs[this.inputCount];
    if (t === undefined || t.value.id !== this.valueCount || t.kind !== kind || t.argIndex !== argIndex || t.path !== path || !sameType(t.value, shape, dtype)) return undefined;
    this.inputCount++;
    this.valueCount++;
    this.latest[t.value.buffer.id] = t.value;
    return t.value;
  }

  /**
   * The template's next node's output if the trace's next node matches it (a new version of `target`'s
   * buffer for an in-place op, else a fresh buffer), else undefined.
   */
  node(op: OpName, inputs: readonly Value[], attrs: Readonly<AttrsOf[OpName]>, target: Value | undefined): Value | undefined {
    const t = this.template.nodes[this.nodeCount];
    if (t === undefined || t.op !== op || t.out.id !== this.valueCount || t.ins.length !== inputs.length) return undefined;
    for (let i = 0; i < inputs.length; i++) if (t.ins[i] !== inputs[i]!.id) return undefined;
    const out = t.out;
    if (target === undefined ? out.version !== 0 : out.buffer.id !== target.buffer.id || out.version !== target.version + 1) return undefined;
    const def = opDef(op);
    if (!sameAttrsExcept(t.attrs, attrs, def.boundAttr)) return undefined;
    if (def.constant) this.constants.push(def.constant(attrs));
    this.attrs.push(attrs);
    this.nodeCount++;
    this.valueCount++;
    this.latest[out.buffer.id] = out;
    return out;
  }

  /** Whether the whole template has been matched. */
  get complete(): boolean {
    return this.nodeCount === this.template.nodes.length && this.inputCount === this.template.inputs.length;
  }
}

/** Inputs searched in order when an array is looked up; past this many, a Map is made. */
const SEARCHED_INPUTS = 16;

/** A trace in progress: the graph being built and the buffers standing for the arrays it has seen. */
export class Trace {
  private recorded: Graph | undefined;
  private replay: Replay | undefined;
  /** The array behind each graph input, in input order (undefined for an input made from a type). */
  readonly inputArrays: (NdArray | undefined)[] = [];
  /** The buffer id of each graph input, in input order. */
  private readonly inputBuffers: number[] = [];
  /** Array object -> buffer id, made once the inputs are too many to search in order. */
  private index: Map<NdArray, number> | undefined;
  private capturedCount = 0;
  open = true;

  constructor(template?: TraceTemplate) {
    if (template) this.replay = new Replay(template);
    else this.recorded = new Graph();
  }

  /** The graph traced so far (written now if the trace was following a template). */
  get graph(): Graph {
    return this.recorded ?? this.materialize();
  }

  /** The replay, while the trace still follows its template in full. */
  get replaying(): Replay | undefined {
    return this.replay;
  }

  /** Registers an argument leaf as a graph input (named `x<argIndex><path>` unless `name` says otherwise). */
  addArgument(array: NdArray | ValueType, argIndex: number, path: string, name?: string): Value {
    const source = "data" in array ? array : undefined;
    const shape = array.shape;
    const dtype = source ? dtypeOfArray(source.data) ?? dtypeOf(name ?? `x${argIndex}${path}`, source) : (array as ValueType).dtype;
    const value = this.replay?.input("arg", argIndex, path, shape, dtype)
      ?? this.graph.addInput({ shape, dtype }, name ?? `x${argIndex}${path}`, { kind: "arg", argIndex, path, source });
    this.remember(source, value.buffer.id);
    return value;
  }

  /** The id of the buffer standing for `array` (an argument or captured array), if the trace has one. */
  knownBuffer(array: NdArray): number | undefined {
    if (this.index) return this.index.get(array);
    const arrays = this.inputArrays;
    for (let k = 0; k < arrays.length; k++) if (arrays[k] === array) return this.inputBuffers[k];
    return undefined;
  }

  /** Forgets the arrays the trace was made with (its graph may outlive them). */
  forgetArrays(): void {
    this.inputArrays.length = 0;
    this.inputBuffers.length = 0;
    this.index = undefined;
  }

  private remember(array: NdArray | undefined, buffer: number): void {
    this.inputArrays.push(array);
    this.inputBuffers.push(buffer);
    if (this.index) {
      if (array) this.index.set(array, buffer);
    } else if (this.inputArrays.length > SEARCHED_INPUTS) {
      this.index = new Map();
      this.inputArrays.forEach((a, k) => a && this.index!.set(a, this.inputBuffers[k]!));
    }
  }

  /** The id of the buffer for an array the function touches: its argument input, or a new captured input. */
  bufferOf(array: NdArray): number {
    const known = this.knownBuffer(array);
    if (known !== undefined) return known;
    const dtype = dtypeOf("capture", array);
    const value = this.replay?.input("captured", -1, "", array.shape, dtype)
      ?? this.graph.addInput({ shape: array.shape, dtype }, `c${this.capturedCount}`, { kind: "captured", argIndex: -1, path: "", source: array });
    this.capturedCount++;
    this.remember(array, value.buffer.id);
    return value.buffer.id;
  }

  /** The newest value of buffer `id`. */
  latest(id: number): Value {
    if (this.replay) return this.replay.latest[id]!;
    const versions = this.recorded!.buffers[id]!.versions;
    return versions[versions.length - 1]!;
  }

  /** `value` as this trace has it now (a value seen while following the template maps to the graph's own). */
  resolve(value: Value): Value {
    if (this.replay) return value;
    const buffer = this.recorded!.buffers[value.buffer.id]!;
    return buffer === value.buffer ? value : buffer.versions[value.version]!;
  }

  /** Appends a pure node applying `op` (its output type inferred, its size checked) and returns its output. */
  addNode<K extends OpName>(op: K, inputs: readonly Value[], attrs: AttrsOf[K]): Value {
    const matched = this.replay?.node(op, inputs, attrs, undefined);
    if (matched) return matched;
    const ins = this.replay ? this.resolveAll(inputs) : inputs;
    const type = opDef(op).infer(ins, attrs);
    arrayBytes(op, type.shape, type.dtype);
    return this.graph.addNode(op, ins, attrs, type);
  }

  /** Appends an in-place node writing the next version of `target`'s buffer. */
  addInPlaceNode<K extends OpName>(op: K, target: Value, inputs: readonly Value[], attrs: AttrsOf[K]): Value {
    const matched = this.replay?.node(op, inputs, attrs, target);
    if (matched) return matched;
    if (!this.replay) return this.recorded!.addInPlaceNode(op, target, inputs, attrs);
    const ins = this.resolveAll(inputs);
    return this.graph.addInPlaceNode(op, this.resolve(target), ins, attrs);
  }

  /** Graph input `k`: where it comes from and its value. */
  inputAt(k: number): TemplateInput {
    if (this.replay) return this.replay.template.inputs[k]!;
    const value = this.recorded!.inputs[k]!, info = value.buffer.input!;
    return { kind: info.kind, argIndex: info.argIndex, path: info.path, value };
  }

  private resolveAll(values: readonly Value[]): Value[] {
    this.materialize();
    return values.map((v) => this.resolve(v));
  }

  /** Writes the graph of the inputs and nodes matched so far, in their order, and stops following the template. */
  private materialize(): Graph {
    if (this.recorded) return this.recorded;
    const replay = this.replay!;
    const graph = new Graph();
    this.recorded = graph;
    this.replay = undefined;
    const { inputs, nodes } = replay.template;
    const fresh: Value[] = [];
    let i = 0, n = 0;
    while (i < replay.inputCount || n < replay.nodeCount) {
      const input = i < replay.inputCount ? inputs[i]! : undefined, node = n < replay.nodeCount ? nodes[n]! : undefined;
      if (input && (!node || input.value.id < node.out.id)) {
        const info = { kind: input.kind, argIndex: input.argIndex, path: input.path, source: this.inputArrays[i] };
        fresh[input.value.id] = graph.addInput(input.value, input.value.buffer.name ?? "", info);
        i++;
      } else if (node) {
        const ins = node.ins.map((id) => fresh[id]!), attrs = replay.attrs[n]!, out = node.out;
        fresh[out.id] = out.version === 0 ? graph.addNode(node.op, ins, attrs, out) : graph.addInPlaceNode(node.op, graph.latest(graph.buffers[out.buffer.id]!), ins, attrs);
        n++;
      }
    }
    return graph;
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
