/**
 * Conv nets written directly with the protobuf definitions (onnx-proto), independently of toOnnx, as
 * PyTorch's exporter writes them: NCHW data, Conv weights OIHW, Linear as Gemm with transB=1. With a
 * naive NCHW reference (plain loops) for the chain-shaped one.
 */
import { onnx } from "onnx-proto";
import type { Rng } from "@tsflux/graph/testing";

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;
const A = onnx.AttributeProto.AttributeType;

/** A row-major float tensor as plain numbers. */
export interface Dense { readonly dims: number[]; readonly values: number[] }

export const randomTensor = (rng: Rng, dims: number[], scale = 1): Dense =>
  ({ dims, values: Array.from({ length: dims.reduce((a, b) => a * b, 1) }, () => (rng() * 2 - 1) * scale) });

const tensor = (name: string, t: Dense): onnx.ITensorProto => ({ name, dims: t.dims, dataType: FLOAT, floatData: t.values });
const node = (opType: string, input: string[], output: string[], attribute: onnx.IAttributeProto[] = []): onnx.INodeProto => ({ opType, input, output, attribute, name: output[0] });
const ints = (name: string, v: number[]): onnx.IAttributeProto => ({ name, type: A.INTS, ints: v });
const int = (name: string, i: number): onnx.IAttributeProto => ({ name, type: A.INT, i });
const valueInfo = (name: string, dims: (number | string)[]): onnx.IValueInfoProto => ({
  name, type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) } } },
});

function model(nodes: onnx.INodeProto[], initializer: onnx.ITensorProto[], inputDims: (number | string)[], outputDims: (number | string)[]): Uint8Array {
  return onnx.ModelProto.encode({
    irVersion: 8, producerName: "handmade", opsetImport: [{ domain: "", version: 17 }],
    graph: { name: "handmade", node: nodes, initializer, input: [valueInfo("x", inputDims)], output: [valueInfo("y", outputDims)] },
  }).finish();
}

/** The weights of `pytorchConvNet`: Conv2d(2, 4, 3, padding=1), then Linear(4*3*3, 3). */
export interface ConvNetWeights { conv: Dense; convBias: Dense; fc: Dense; fcBias: Dense }

export const convNetWeights = (rng: Rng): ConvNetWeights => ({
  conv: randomTensor(rng, [4, 2, 3, 3], 0.5), convBias: randomTensor(rng, [4], 0.2), fc: randomTensor(rng, [3, 36], 0.3), fcBias: randomTensor(rng, [3], 0.2),
});

/** nn.Sequential(Conv2d(2, 4, 3, padding=1), ReLU(), MaxPool2d(2), Flatten(), Linear(36, 3)) on [N, 2, 6, 6]. */
export function pytorchConvNet(w: ConvNetWeights): Uint8Array {
  return model([
    node("Conv", ["x", "conv.weight", "conv.bias"], ["c"], [ints("kernel_shape", [3, 3]), ints("pads", [1, 1, 1, 1]), ints("strides", [1, 1]), ints("dilations", [1, 1]), int("group", 1)]),
    node("Relu", ["c"], ["r"]),
    node("MaxPool", ["r"], ["p"], [ints("kernel_shape", [2, 2]), ints("strides", [2, 2]), ints("pads", [0, 0, 0, 0])]),
    node("Flatten", ["p"], ["f"], [int("axis", 1)]),
    node("Gemm", ["f", "fc.weight", "fc.bias"], ["y"], [int("transB", 1)]),
  ], [tensor("conv.weight", w.conv), tensor("conv.bias", w.convBias), tensor("fc.weight", w.fc), tensor("fc.bias", w.fcBias)], ["N", 2, 6, 6], ["N", 3]);
}

/** `pytorchConvNet` on one sample [2, 6, 6] (row-major CHW), by plain loops: PyTorch's cross-correlation, zero padding. */
export function convNetReference(w: ConvNetWeights, x: readonly number[]): number[] {
  const conv = (o: number, i: number, j: number) => {
    let s = w.convBias.values[o]!;
    for (let c = 0; c < 2; c++) for (let di = 0; di < 3; di++) for (let dj = 0; dj < 3; dj++) {
      const ii = i + di - 1, jj = j + dj - 1;
      if (ii >= 0 && ii < 6 && jj >= 0 && jj < 6) s += w.conv.values[((o * 2 + c) * 3 + di) * 3 + dj]! * x[(c * 6 + ii) * 6 + jj]!;
    }
    return Math.max(s, 0);
  };
  const pooled: number[] = [];
  for (let o = 0; o < 4; o++) for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) {
    pooled.push(Math.max(conv(o, 2 * i, 2 * j), conv(o, 2 * i, 2 * j + 1), conv(o, 2 * i + 1, 2 * j), conv(o, 2 * i + 1, 2 * j + 1)));
  }
  return Array.from({ length: 3 }, (_, k) => w.fcBias.values[k]! + pooled.reduce((s, v, f) => s + w.fc.values[k * 36 + f]! * v, 0));
}

/**
 * A conv graph that is not a chain of Flux layers: Conv (stride 2, 2 groups), BatchNormalization,
 * AveragePool not counting its padding, ConvTranspose (stride 2, output_padding 1), GlobalAveragePool
 * and GlobalMaxPool summed, Flatten, and a Gemm whose weight rows are gathered from a table.
 */
export function convGraph(rng: Rng): Uint8Array {
  const bn = (name: string, v: Dense) => tensor(name, v);
  return model([
    node("Conv", ["x", "w1", "b1"], ["c1"], [ints("kernel_shape", [3, 3]), ints("pads", [1, 0, 1, 1]), ints("strides", [2, 2]), int("group", 2)]),
    node("BatchNormalization", ["c1", "bn.scale", "bn.bias", "bn.mean", "bn.var"], ["n1"], [{ name: "epsilon", type: A.FLOAT, f: 0.001 }]),
    node("Tanh", ["n1"], ["t1"]),
    node("AveragePool", ["t1"], ["a1"], [ints("kernel_shape", [3, 2]), ints("strides", [1, 1]), ints("pads", [1, 1, 1, 0]), int("count_include_pad", 0)]),
    node("ConvTranspose", ["a1", "w2", "b2"], ["u1"], [ints("kernel_shape", [3, 3]), ints("strides", [2, 2]), ints("pads", [1, 1, 1, 1]), ints("output_padding", [1, 0])]),
    node("GlobalAveragePool", ["u1"], ["g1"]),
    node("GlobalMaxPool", ["u1"], ["g2"]),
    node("Add", ["g1", "g2"], ["g"]),
    node("Flatten", ["g"], ["f"], [int("axis", 1)]),
    node("Gather", ["table", "rows"], ["fc"], [int("axis", 0)]),
    node("Gemm", ["f", "fc"], ["y"], [int("transB", 1)]),
  ], [
    tensor("w1", randomTensor(rng, [4, 1, 3, 3], 0.5)), tensor("b1", randomTensor(rng, [4], 0.2)),
    bn("bn.scale", randomTensor(rng, [4])), bn("bn.bias", randomTensor(rng, [4], 0.3)), bn("bn.mean", randomTensor(rng, [4], 0.3)),
    bn("bn.var", { dims: [4], values: randomTensor(rng, [4]).values.map((v) => 0.5 + Math.abs(v)) }),
    tensor("w2", randomTensor(rng, [4, 3, 3, 3], 0.5)), tensor("b2", randomTensor(rng, [3], 0.2)),
    tensor("table", randomTensor(rng, [5, 3])), { name: "rows", dims: [2], dataType: INT64, int64Data: [4, 1] },
  ], ["N", 2, 7, 6], ["N", 2]);
}

/** One node `opType` reading "x" (and the given weights) with attributes, on input dims `inputDims`. */
export function oneNode(opType: string, attrs: Record<string, number | number[] | string>, inputDims: (number | string)[], weights: Record<string, Dense> = {}): Uint8Array {
  const attribute = Object.entries(attrs).map(([name, v]): onnx.IAttributeProto =>
    typeof v === "string" ? { name, type: A.STRING, s: new TextEncoder().encode(v) } : Array.isArray(v) ? ints(name, v) : int(name, v));
  return model([node(opType, ["x", ...Object.keys(weights)], ["y"], attribute)], Object.entries(weights).map(([name, t]) => tensor(name, t)), inputDims, []);
}
