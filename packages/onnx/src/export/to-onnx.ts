/**
 * toOnnx: traces a model on an example input and writes the traced graph as an ONNX ModelProto, one
 * export rule per tsflux op (see rules.ts). Shapes are the tsflux shapes reversed: the row-major view of
 * the same memory, so a Dense model takes [N, in] and parameters are stored without copying or transposing.
 */
import { isNdarray, leaves, trace, wrapColMajor, type Graph, type NdArray, type Node, type Tensor, type Value } from "@tsflux/graph";
import { onnx, valueInfo } from "../proto";
import { OnnxError } from "../errors";
import { ExportContext, type InitializerSource } from "./context";
import { batchDims, dimLabel, staticDims, type Dim } from "./dims";
import { EXPORT_RULES } from "./rules";
import { inTestMode } from "./test-mode";
import { pruneUnused } from "./prune";

/** Options of `toOnnx`: the opset and whether the batch dim is symbolic. */
export interface ToOnnxOptions {
  /** ONNX opset, 17 or newer (default 17). */
  opset?: number;
  /** `"dynamic"` (default): the batch dim (tsflux's last, ONNX's first) is symbolic; `"static"`: as in the example. */
  batch?: "dynamic" | "static";
}

/** A model: a layer with `forward`, or a function of its input tensors. */
export type Exportable = { forward(...xs: Tensor[]): Tensor } | ((...xs: Tensor[]) => Tensor);

const MIN_OPSET = 17, MAX_OPSET = 21;
/** The IR version that goes with an opset (ONNX's versioning table). */
const irVersionFor = (opset: number): number => (opset <= 18 ? 8 : opset <= 20 ? 9 : 10);

const forward = (m: Exportable, ...xs: Tensor[]): Tensor => (typeof m === "function" ? m(...xs) : m.forward(...xs));

/**
 * The ONNX bytes (a ModelProto) of `model` applied to inputs like `exampleInput`, in test mode (Dropout
 * is removed). The input is named `input`, the output `output` (`output_1`, ... for more). A model of
 * several inputs (a Parallel given one input per branch) takes an array of examples, which share the
 * batch size; its inputs are `input_0`, `input_1`, ...
 *
 * @example
 * const bytes = toOnnx(Chain(Dense(784, 32, sigmoid), Dense(32, 10), softmax), randn32(784, 1));
 * // ONNX input "input": float[batch, 784], output "output": float[batch, 10]
 */
export function toOnnx(model: Exportable, exampleInput: NdArray | readonly NdArray[], opts: ToOnnxOptions = {}): Uint8Array {
  const opset = opts.opset ?? 17;
  if (!Number.isInteger(opset) || opset < MIN_OPSET || opset > MAX_OPSET) {
    throw new OnnxError(`toOnnx: opset ${opset} is not supported; use an opset from ${MIN_OPSET} to ${MAX_OPSET}`);
  }
  const examples = isNdarray(exampleInput) ? [exampleInput] : [...exampleInput];
  if (examples.length === 0 || !examples.every(isNdarray)) throw new OnnxError("toOnnx: the example input must be an ndarray (features first, batch last), or an array of them");
  const batch = opts.batch ?? "dynamic";
  if (batch !== "dynamic" && batch !== "static") throw new OnnxError(`toOnnx: batch must be "dynamic" or "static", got ${JSON.stringify(batch)}`);
  const { graph, dims } = inTestMode(model, () => traceWithDims(model, examples, batch === "dynamic"));
  const live = liveNodes(graph);
  const inputNames = examples.length === 1 ? ["input"] : examples.map((_, i) => `input_${i}`);
  const ctx = new ExportContext(graph, dims, opset, EXPORT_RULES, inputNames, initializerSources(graph, model), live);
  for (const node of live) {
    // computed already by an earlier node's rule (a conv that took the following bias add as its input B)
    if (ctx.isBound(node.output)) continue;
    const rule = EXPORT_RULES[node.op];
    if (!rule) throw new OnnxError(`toOnnx: op '${node.op}' (making %${node.output.id} of shape (${node.output.shape.join(", ")})) has no ONNX counterpart`);
    ctx.bind(node.output, rule.emit(node, ctx));
  }
  const taken = new Set<string>();
  const outputs = graph.outputs.map((v, i) => nameOutput(ctx, v, i === 0 ? "output" : `output_${i}`, taken));
  pruneUnused(ctx.nodes, ctx.initializers, outputs);
  const label = (v: Value) => ctx.dims(v).map(dimLabel);
  const proto: onnx.IModelProto = {
    irVersion: irVersionFor(opset),
    opsetImport: [{ domain: "", version: opset }],
    producerName: "tsflux",
    producerVersion: "0.1.0",
    graph: {
      name: "tsflux",
      node: ctx.nodes,
      initializer: ctx.initializers,
      input: ctx.inputValues().map((v, i) => valueInfo(inputNames[i]!, v.dtype, label(v))),
      output: graph.outputs.map((v, i) => valueInfo(outputs[i]!, v.dtype, label(v))),
    },
  };
  return onnx.ModelProto.encode(proto).finish();
}

/** The graph at the examples' batch size, with each value's dims (batch dims found from a second trace). */
function traceWithDims(model: Exportable, xs: readonly NdArray[], dynamic: boolean): { graph: Graph; dims: Map<Value, Dim[]> } {
  const batchOf = (x: NdArray) => x.shape[x.shape.length - 1]!;
  const n1 = batchOf(xs[0]!), n2 = n1 + 1;
  dynamic &&= xs.every((x) => x.shape.length >= 2);
  if (dynamic && xs.some((x) => batchOf(x) !== n1)) {
    throw new OnnxError(`toOnnx: the example inputs have batch sizes ${xs.map(batchOf).join(", ")}; they must share one (the last dim)`);
  }
  const f = (m: Exportable, ...inputs: Tensor[]) => forward(m, ...inputs);
  const graph = trace(f, model, ...xs);
  if (graph.outputs.length === 0) throw new OnnxError("toOnnx: the model returned no tensor");
  if (!dynamic) return { graph, dims: staticDims(graph) };
  const twins = xs.map((x) => {
    const shape = [...x.shape.slice(0, -1), n2];
    // the same element type (1s: valid 1-based indices when the input is an index array)
    const Data = x.data.constructor as new (n: number) => Float32Array | Float64Array | Int32Array;
    return wrapColMajor(new Data(shape.reduce((a, b) => a * b, 1)).fill(1), shape);
  });
  return { graph, dims: batchDims(graph, trace(f, model, ...twins), n1, n2) };
}

/** Parameters (the model's arrays, by path) and captured arrays, which become initializers. */
function initializerSources(graph: Graph, model: unknown): Map<Value, InitializerSource> {
  const byPath = new Map(leaves(model).map((l) => [l.path, l.value]));
  const sources = new Map<Value, InitializerSource>();
  let captured = 0;
  for (const v of graph.inputs) {
    const info = v.buffer.input!;
    // `.layers[0].weight` is named `layers.0.weight`, as in the model's safetensors file
    const name = info.path.replace(/\[(\d+)\]/g, ".$1").replace(/^\./, "") || "param";
    if (info.kind === "arg" && info.argIndex === 0) sources.set(v, { name, array: byPath.get(info.path)! });
    else if (info.kind === "captured") sources.set(v, { name: `captured_${captured++}`, array: info.source! });
  }
  return sources;
}

/** The nodes the outputs depend on, in graph order. */
function liveNodes(graph: Graph): Node[] {
  const live = new Set<Node>();
  const stack = [...graph.outputs];
  while (stack.length > 0) {
    const n = stack.pop()!.producer;
    if (!n || live.has(n)) continue;
    live.add(n);
    stack.push(...n.inputs);
  }
  return graph.nodes.filter((n) => live.has(n));
}

/** Gives an output its public name: renames the node output that holds it, or adds an Identity. */
function nameOutput(ctx: ExportContext, v: Value, name: string, taken: Set<string>): string {
  const current = ctx.name(v);
  const producer = ctx.nodes.find((n) => n.output![0] === current);
  taken.add(name);
  if (!producer || taken.has(current)) {
    ctx.nodes.push({ opType: "Identity", input: [current], output: [name], name });
    return name;
  }
  for (const n of ctx.nodes) n.input = n.input!.map((i) => (i === current ? name : i));
  producer.output = [name];
  ctx.bind(v, name);
  return name;
}
