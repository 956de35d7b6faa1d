/**
 * OnnxGraph: a layer that runs an imported ONNX graph with tsflux ops. Float initializers are its
 * trainable parameters (`params`, by ONNX name, as column-major arrays of the reversed dims: the same
 * bytes); integer initializers stay constants. Traced like any layer, so it trains with Duplicated/train.
 */
import { Tensor, isNdarray, toColMajor, wrapColMajor, type NdArray } from "@tsflux/graph";
import { Layer, callable, showCompact } from "@tsflux/layers";
import { OnnxError } from "../errors";
import { isHost, isFloatType, toArray, type HostTensor } from "./host";
import { IMPORT_RULES } from "./rules";
import { onnxDims, type Operand } from "./context";
import { isShifted } from "./index-shift";
import type { ParsedModel } from "./parse";

/** Runs the graph's nodes on `x` with parameters `params`; returns the first graph output. */
export type GraphProgram = (params: Readonly<Record<string, NdArray>>, x: Tensor) => Tensor;

/** The ONNX op types of a model that have no import rule, each once. */
export function unsupportedOps(model: ParsedModel): string[] {
  return [...new Set(model.nodes.map((n) => n.opType).filter((op) => !(op in IMPORT_RULES)))];
}

/** The program of a parsed model (a closure, so copies of the layer made by tree maps share it). */
export function graphProgram(model: ParsedModel, constants: ReadonlyMap<string, HostTensor>): GraphProgram {
  return (params, x) => {
    const env = new Map<string, Operand>(constants);
    for (const [name, p] of Object.entries(params)) env.set(name, p);
    env.set(model.input.name, x);
    for (const node of model.nodes) {
      const info = { opType: node.opType, name: node.name, opset: model.opset };
      const inputs = node.inputs.map((name) => {
        if (name === "") return undefined;
        const v = env.get(name);
        if (v === undefined) throw new OnnxError(`fromOnnx: ${node.opType} node '${node.name}' reads '${name}', which nothing defines`);
        return v;
      });
      const result = IMPORT_RULES[node.opType]!(inputs, node.attrs, info);
      const outs = Array.isArray(result) ? result : [result];
      node.outputs.forEach((name, i) => outs[i] !== undefined && env.set(name, outs[i]));
    }
    const y = env.get(model.outputs[0]!);
    if (y === undefined || isHost(y) || isShifted(y)) throw new OnnxError(`fromOnnx: output '${model.outputs[0]}' is not computed from the input`);
    return isNdarray(y) ? Tensor.concrete(y) : y;
  };
}

class OnnxGraphLayer extends Layer {
  /** Float initializers (not scalars) by ONNX name: column-major arrays of the reversed ONNX dims. */
  params: Record<string, NdArray>;
  /** The ONNX input's dims (strings for symbolic dims); the tsflux input is these reversed. */
  inputDims: (number | string)[];
  /** The imported nodes, run with tsflux ops. */
  program: GraphProgram;
  private readonly summary: string;

  constructor(model: ParsedModel) {
    super();
    const params: Record<string, NdArray> = {};
    const constants = new Map<string, HostTensor>();
    for (const [name, t] of model.initializers) {
      // a rank-0 initializer is a constant (a divisor, an epsilon), not a weight to train
      if (isFloatType(t.dataType) && t.dims.length > 0) params[name] = toColMajor(toArray(t), true);
      else constants.set(name, t);
    }
    this.params = params;
    this.inputDims = [...model.input.dims];
    this.program = graphProgram(model, constants);
    this.summary = `${model.nodes.length} nodes`;
  }

  protected run(x: Tensor): Tensor {
    const got = onnxDims(x);
    const fits = got.length === this.inputDims.length && this.inputDims.every((d, i) => typeof d !== "number" || d === got[i]);
    if (!fits) {
      throw new OnnxError(`OnnxGraph: expected an input of ONNX dims [${this.inputDims.join(", ")}] (tsflux size (${[...this.inputDims].reverse().join(", ")})), got size (${x.shape.join(", ")})`);
    }
    return this.program(this.params, x);
  }

  override [showCompact](): string {
    return `OnnxGraph(${this.summary})`;
  }
}

/** `OnnxGraph(parsedModel)`: an imported graph as a layer (made by `fromOnnx` when the graph is not a chain). */
export const OnnxGraph = callable(OnnxGraphLayer, "OnnxGraph");
export type OnnxGraph = OnnxGraphLayer;

/**
 * An example input of the model's declared dims (symbolic dims as 1), for tracing and printing: zeros, or
 * for an integer input (indices) Int32 ones, an index that is valid whether the model counts from 0 or 1.
 */
export function exampleInputFor(dims: readonly (number | string)[], elemType: number): NdArray {
  const shape = dims.map((d) => (typeof d === "number" ? d : 1)).reverse();
  if (!isFloatType(elemType)) return wrapColMajor(new Int32Array(shape.reduce((a, b) => a * b, 1)).fill(1), shape);
  return toArray({ kind: "host", dims: [...shape].reverse(), dataType: elemType, data: new Float64Array(shape.reduce((a, b) => a * b, 1)) });
}

