/**
 * Recognising a chain: when the ONNX graph is one path of Dense-like nodes (Gemm, or MatMul then Add),
 * activations, softmax, Dropout, Identity and Flatten from a [N, features] input, or a conv net of Conv,
 * pooling and Flatten nodes before them (chain-conv.ts) from an [N, C, spatial...] input, it imports as a Flux
 * `Chain`. Weights arrive in PyTorch's layouts and are mapped to Flux's `[out, in]` column-major.
 */
import ndarray from "ndarray";
import { toColMajor, wrapColMajor, type NdArray } from "@tsflux/graph";
import { Chain, Conv, Dense, Dropout, elu, identity, leakyrelu, logsoftmax, relu, sigmoid, softmax, softplus, tanh, type Activation } from "@tsflux/layers";
import type { NodeRecord, ParsedModel } from "./parse";
import { decodeTensor, isFloatType, type HostTensor } from "./host";
import type { onnx } from "../proto";
import { CONV_CHAIN_LAYERS } from "./chain-conv";

const ACTIVATIONS: Record<string, Activation> = { Relu: relu, Sigmoid: sigmoid, Tanh: tanh, Softplus: softplus };

/** A float initializer's data as a typed array of its own precision. */
function floatData(t: HostTensor): Float32Array | Float64Array {
  return t.data instanceof Float64Array ? Float64Array.from(t.data) : Float32Array.from(t.data);
}

/**
 * Flux's weight [out, in] from an ONNX matrix: [out, in] row-major when `outFirst` (PyTorch's Linear,
 * Gemm with transB=1), else [in, out] row-major, which is already column-major [out, in].
 */
function fluxWeight(w: HostTensor, outFirst: boolean): NdArray {
  const [d0, d1] = w.dims as [number, number];
  const data = floatData(w);
  const view = outFirst ? ndarray(data, [d0, d1], [d1, 1]) : wrapColMajor(data, [d1, d0]);
  return toColMajor(view as NdArray, true);
}

/** A bias of `out` values from a [out] or [1, out] initializer, or undefined if it is not one. */
function fluxBias(b: HostTensor | undefined, out: number): NdArray | undefined {
  if (!b || !isFloatType(b.dataType) || b.data.length !== out || b.dims.some((d, i) => d !== (i === b.dims.length - 1 ? out : 1))) return undefined;
  return toColMajor(wrapColMajor(floatData(b), [out]), true);
}

/** The model as a Chain, or undefined when its graph is not a chain of supported layers. */
export function importChain(model: ParsedModel): InstanceType<typeof Chain> | undefined {
  const rank = model.input.dims.length;
  if (rank < 2 || rank > 5 || model.outputs.length !== 1 || !isFloatType(model.input.elemType)) return undefined;
  const constants = new Map(model.initializers);
  const nodes: NodeRecord[] = [];
  for (const n of model.nodes) {
    if (n.opType === "Constant" && n.attrs.has("value")) constants.set(n.outputs[0]!, decodeTensor(n.attrs.get("value") as onnx.ITensorProto, "fromOnnx"));
    else nodes.push(n);
  }
  const used = new Map<string, number>();
  for (const n of nodes) for (const i of n.inputs) used.set(i, (used.get(i) ?? 0) + 1);
  const layers: unknown[] = [];
  let current = model.input.name;
  let lastDense: { activation: Activation } | undefined;
  let k = 0;
  /** The rank of the current value: Dense layers and softmax need [N, features] (after a Flatten). */
  let currentRank = rank;
  /** The bias of an Add that follows the current node, taken into the Dense (the Add is then skipped). */
  const followingBias = (out: number): NdArray | undefined => {
    const next = nodes[k + 1];
    const biasName = next?.opType === "Add" && next.inputs[0] === current && (used.get(current) ?? 0) === 1 ? next.inputs[1] : undefined;
    const bias = fluxBias(biasName === undefined ? undefined : constants.get(biasName), out);
    if (bias) {
      current = next!.outputs[0]!;
      k++;
    }
    return bias;
  };
  for (; k < nodes.length; k++) {
    const n = nodes[k]!;
    const [data, ...rest] = n.inputs;
    if (data !== current || (used.get(current) ?? 0) !== 1 || n.outputs.length !== 1) return undefined;
    const params = rest.map((name) => (name === "" ? undefined : constants.get(name)));
    if (params.some((p, i) => p === undefined && rest[i] !== "")) return undefined;
    current = n.outputs[0]!;
    let layer: unknown;
    if (n.opType === "Gemm") {
      const [w, b] = params;
      if (!w || currentRank !== 2 || w.dims.length !== 2 || !isFloatType(w.dataType) || (n.attrs.get("transA") ?? 0) !== 0 || (n.attrs.get("alpha") ?? 1) !== 1 || (n.attrs.get("beta") ?? 1) !== 1) return undefined;
      const outFirst = (n.attrs.get("transB") ?? 0) === 1;
      const out = outFirst ? w.dims[0]! : w.dims[1]!;
      let bias = b === undefined ? undefined : fluxBias(b, out);
      if (b !== undefined && bias === undefined) return undefined;
      // Gemm without C may be followed by an Add of the bias (as toOnnx writes Dense)
      bias ??= followingBias(out);
      layer = Dense(fluxWeight(w, outFirst), bias ?? false);
    } else if (n.opType === "MatMul") {
      const [w] = params;
      if (!w || currentRank !== 2 || w.dims.length !== 2 || !isFloatType(w.dataType)) return undefined;
      layer = Dense(fluxWeight(w, false), followingBias(w.dims[1]!) ?? false);
    } else if (n.opType in ACTIVATIONS || n.opType === "LeakyRelu" || n.opType === "Elu") {
      const alpha = n.attrs.get("alpha");
      // Flux's leakyrelu and elu have slopes 0.01 and 1 (ONNX stores the attribute as a float32)
      if ((n.opType === "LeakyRelu" && Math.fround((alpha as number | undefined) ?? 0.01) !== Math.fround(0.01)) || (n.opType === "Elu" && (alpha ?? 1) !== 1)) return undefined;
      const f = ACTIVATIONS[n.opType] ?? (n.opType === "Elu" ? elu : leakyrelu);
      if (lastDense && lastDense.activation === identity && layers[layers.length - 1] === lastDense) {
        lastDense.activation = f;
        continue;
      }
      layer = f;
    } else if (n.opType === "Softmax" || n.opType === "LogSoftmax") {
      const axis = (n.attrs.get("axis") as number | undefined) ?? -1;
      if (currentRank !== 2 || (axis !== -1 && axis !== 1)) return undefined;
      layer = n.opType === "Softmax" ? softmax : logsoftmax;
    } else if (n.opType === "Dropout") {
      const ratio = params[0];
      layer = Dropout(ratio ? Number(ratio.data[0]) : 0.5);
    } else if (rank > 2 && n.opType in CONV_CHAIN_LAYERS) {
      layer = CONV_CHAIN_LAYERS[n.opType]!(n, params);
      if (layer === undefined) return undefined;
      if (n.opType === "Flatten") currentRank = 2;
    } else if (n.opType === "Identity" || (n.opType === "Flatten" && ((n.attrs.get("axis") as number | undefined) ?? 1) === 1)) {
      continue;
    } else {
      return undefined;
    }
    layers.push(layer);
    lastDense = layer instanceof Dense || layer instanceof Conv ? (layer as { activation: Activation }) : undefined;
  }
  if (current !== model.outputs[0] || layers.length === 0) return undefined;
  return Chain(...(layers as Parameters<typeof Chain>));
}
