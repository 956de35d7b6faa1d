/** Decoding an ONNX ModelProto into what the importers read: one input, outputs, nodes and initializers. */
import { onnx, attributeValue, toNumber } from "../proto";
import { OnnxError } from "../errors";
import { decodeTensor, type HostTensor } from "./host";

export interface NodeRecord {
  readonly opType: string;
  readonly name: string;
  /** Input names; "" marks an omitted optional input. */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs: ReadonlyMap<string, unknown>;
}

export interface InputRecord {
  readonly name: string;
  readonly elemType: number;
  /** ONNX dims; a string (or "?") for a symbolic dim. */
  readonly dims: readonly (number | string)[];
}

export interface ParsedModel {
  readonly opset: number;
  readonly input: InputRecord;
  readonly outputs: readonly string[];
  readonly nodes: readonly NodeRecord[];
  readonly initializers: ReadonlyMap<string, HostTensor>;
}

/** The parts of an ONNX model that fromOnnx reads; throws OnnxError for what it cannot. */
export function parseModel(bytes: Uint8Array): ParsedModel {
  let model: onnx.ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw new OnnxError(`fromOnnx: the bytes are not an ONNX model (${(e as Error).message})`);
  }
  const graph = model.graph;
  if (!graph || (graph.node ?? []).length === 0) throw new OnnxError("fromOnnx: the model has no graph nodes");
  const opsetEntry = (model.opsetImport ?? []).find((o) => !o.domain || o.domain === "ai.onnx");
  const opset = toNumber(opsetEntry?.version);
  const initializers = new Map((graph.initializer ?? []).map((t) => [t.name ?? "", decodeTensor(t, "fromOnnx")] as const));
  const inputs = (graph.input ?? []).filter((v) => !initializers.has(v.name ?? ""));
  if (inputs.length !== 1) throw new OnnxError(`fromOnnx: expected one graph input, found ${inputs.length} (${inputs.map((v) => v.name).join(", ")})`);
  const tensorType = inputs[0]!.type?.tensorType;
  const input: InputRecord = {
    name: inputs[0]!.name ?? "",
    elemType: tensorType?.elemType ?? 0,
    dims: (tensorType?.shape?.dim ?? []).map((d) => (d.dimParam ? d.dimParam : d.dimValue !== undefined && d.dimValue !== null ? toNumber(d.dimValue) : "?")),
  };
  const nodes = (graph.node ?? []).map((n, i): NodeRecord => {
    if (n.domain && n.domain !== "ai.onnx") throw new OnnxError(`fromOnnx: node '${n.name || i}' uses op ${n.domain}.${n.opType}, outside the standard ONNX domain`);
    return {
      opType: n.opType ?? "",
      name: n.name || `${n.opType}_${i}`,
      inputs: [...(n.input ?? [])],
      outputs: [...(n.output ?? [])],
      attrs: new Map((n.attribute ?? []).map((a) => [a.name ?? "", attributeValue(a)])),
    };
  });
  return { opset, input, outputs: (graph.output ?? []).map((o) => o.name ?? ""), nodes, initializers };
}
