/**
 * What an export rule sees: ONNX names of the tsflux values, symbolic dims in ONNX order, and calls that
 * append ONNX nodes and constants. Rules never touch protobuf messages directly.
 */
import { numel, toColMajor, type DType, type Graph, type NdArray, type Node, type Value } from "@tsflux/graph";
import { attribute, int64Tensor, scalarData, tensorProto, type AttrValue, type onnx } from "../proto";
import { OnnxError } from "../errors";
import { isBatchDim, type Dim } from "./dims";

/** An ONNX op's attributes, by name. */
export type Attrs = Readonly<Record<string, AttrValue>>;

/** Emits the ONNX nodes for one tsflux node and returns the ONNX name of its output. */
export interface ExportRule {
  emit(node: Node, ctx: ExportContext): string;
  /** Elementwise and broadcasting as ONNX ops do (numpy rules on the reversed shapes). */
  readonly broadcasts?: boolean;
}

/** Where a graph input's data comes from when it becomes an initializer. */
export interface InitializerSource {
  readonly name: string;
  readonly array: NdArray;
}

/** The ONNX graph being built by `toOnnx`: nodes, initializers and value names. */
export class ExportContext {
  readonly nodes: onnx.INodeProto[] = [];
  readonly initializers: onnx.ITensorProto[] = [];
  private readonly names = new Map<Value, string>();
  private readonly constants = new Map<string, string>();
  private readonly consumers = new Map<Value, Node[]>();
  private readonly rules: Readonly<Record<string, ExportRule>>;
  private batchName: string | undefined;
  private counter = 0;

  constructor(
    readonly graph: Graph,
    private readonly dimsOf: Map<Value, Dim[]>,
    readonly opset: number,
    rules: Readonly<Record<string, ExportRule>>,
    private readonly inputNames: readonly string[],
    private readonly sources: Map<Value, InitializerSource>,
    live: readonly Node[],
  ) {
    this.rules = rules;
    for (const n of live) for (const v of n.inputs) this.consumers.set(v, [...(this.consumers.get(v) ?? []), n]);
    this.inputValues().forEach((v, i) => this.names.set(v, inputNames[i]!));
  }

  /** The graph inputs that are the model's inputs, in argument order (the others are parameters and captured arrays). */
  inputValues(): Value[] {
    return this.inputNames.map((_, i) => this.graph.inputs.find((v) => v.buffer.input?.kind === "arg" && v.buffer.input.argIndex === i + 1)!);
  }

  /** The ONNX name holding a tsflux value (parameters become initializers on first use). */
  name(v: Value): string {
    const known = this.names.get(v);
    if (known !== undefined) return known;
    const source = this.sources.get(v);
    if (!source) throw new OnnxError(`toOnnx: value %${v.id} is used before it is defined`);
    const a = toColMajor(source.array);
    const data = a.data.subarray(a.offset, a.offset + numel(a.shape));
    this.initializers.push(tensorProto(source.name, [...a.shape].reverse(), v.dtype, data));
    this.names.set(v, source.name);
    return source.name;
  }

  /** The array behind a parameter or captured array (undefined for computed values). */
  sourceOf(v: Value): InitializerSource | undefined {
    return this.sources.get(v);
  }

  /** Adds an initializer holding `array` (column-major, written as its reversed dims); returns its name. */
  initializer(name: string, array: NdArray, dtype: DType): string {
    const a = toColMajor(array);
    this.initializers.push(tensorProto(name, [...a.shape].reverse(), dtype, a.data.subarray(a.offset, a.offset + numel(a.shape))));
    return name;
  }

  /** The live nodes that read `v`. */
  usersOf(v: Value): readonly Node[] {
    return this.consumers.get(v) ?? [];
  }

  /** True once a value has an ONNX name (a rule may name a later node's output when it computes it too). */
  isBound(v: Value): boolean {
    return this.names.has(v);
  }

  bind(v: Value, name: string): void {
    this.names.set(v, name);
  }

  /** Dims of a value in ONNX order (tsflux's reversed). */
  dims(v: Value): Dim[] {
    return [...this.dimsOf.get(v)!].reverse();
  }

  /** The ONNX axis of tsflux axis `axis` (0-based) of a value of rank `rank`. */
  axis(rank: number, axis: number): number {
    return rank - 1 - axis;
  }

  /** A fresh ONNX name. */
  fresh(hint: string): string {
    return `${hint}_${this.counter++}`;
  }

  /** Appends an ONNX node; returns its (first) output name. */
  emit(opType: string, inputs: readonly string[], attrs: Attrs = {}, outputs = 1): string {
    const names = Array.from({ length: outputs }, () => this.fresh(opType));
    const attribute_ = Object.entries(attrs).map(([k, v]) => attribute(k, v));
    this.nodes.push({ opType, input: [...inputs], output: names, attribute: attribute_, name: names[0] });
    return names[0]!;
  }

  /** An int64 constant (deduplicated), 1-D unless `scalar`. */
  int64(values: readonly number[], scalar = false): string {
    const key = `i64:${scalar}:${values.join(",")}`;
    const known = this.constants.get(key);
    if (known) return known;
    const name = this.fresh("const");
    this.initializers.push(int64Tensor(name, values, scalar ? [] : [values.length]));
    this.constants.set(key, name);
    return name;
  }

  /** A rank-0 constant (a Constant node, so importers do not take it for a trainable weight). */
  scalar(value: number, dtype: DType): string {
    const key = `${dtype}:${Object.is(value, -0) ? "-0" : value}`;
    const known = this.constants.get(key);
    if (known) return known;
    const name = this.emit("Constant", [], { value: tensorProto("value", [], dtype, scalarData(value, dtype)) });
    this.constants.set(key, name);
    return name;
  }

  /** A 1-D int64 tensor holding `dims` (ONNX order) at run time; batch dims come from the input's shape. */
  shapeTensor(dims: readonly Dim[]): string {
    if (!dims.some(isBatchDim)) return this.int64(dims as number[]);
    const key = `shape:${dims.map((d) => (isBatchDim(d) ? `${d.perBatch}N` : d)).join(",")}`;
    const known = this.constants.get(key);
    if (known) return known;
    const parts = dims.map((d) => (typeof d === "number" ? this.int64([d]) : this.batchTimes(d.perBatch)));
    const name = parts.length === 1 ? parts[0]! : this.emit("Concat", parts, { axis: 0 });
    this.constants.set(key, name);
    return name;
  }

  /** `k * batch` as a 1-D int64 tensor of one element (every input has the batch size as its first ONNX dim). */
  private batchTimes(k: number): string {
    this.batchName ??= this.emit("Shape", [this.inputNames[0]!], { start: 0, end: 1 });
    return k === 1 ? this.batchName : this.emit("Mul", [this.batchName, this.int64([k])]);
  }

  /**
   * True when a value may stay unexpanded: every consumer broadcasts as ONNX does and has another operand
   * at the full shape, and the value is not a graph output. Then `full` is a scalar and `broadcastTo` a no-op.
   */
  broadcastsImplicitly(v: Value): boolean {
    if (this.graph.outputs.includes(v)) return false;
    const users = this.consumers.get(v) ?? [];
    return users.length > 0 && users.every((c) =>
      this.rules[c.op]?.broadcasts === true && c.inputs.some((u) => u !== v && !isExpansion(u)));
  }
}

/** Values made by `full` or `broadcastTo`: the ones an ONNX broadcasting op can take unexpanded. */
function isExpansion(v: Value): boolean {
  return v.producer?.op === "full" || v.producer?.op === "broadcastTo";
}
