/**
 * ONNX models written directly with the protobuf definitions (onnx-proto), independently of toOnnx,
 * the way PyTorch's exporter writes them: Linear as Gemm with transB=1 and weight [out, in] row-major.
 */
import { onnx } from "onnx-proto";
import type { Rng } from "@tsflux/graph/testing";

const FLOAT = onnx.TensorProto.DataType.FLOAT;
const INT64 = onnx.TensorProto.DataType.INT64;

/** A row-major float matrix or vector, as plain numbers (the test's own copy for naive references). */
export interface Dense2D { readonly rows: number; readonly cols: number; readonly values: number[] }

export function randomMatrix(rng: Rng, rows: number, cols: number): Dense2D {
  return { rows, cols, values: Array.from({ length: rows * cols }, () => rng() * 2 - 1) };
}

const floatTensor = (name: string, dims: number[], values: number[]): onnx.ITensorProto =>
  ({ name, dims, dataType: FLOAT, floatData: values });
const int64Tensor = (name: string, values: number[]): onnx.ITensorProto => ({ name, dims: [values.length], dataType: INT64, int64Data: values });
const node = (opType: string, input: string[], output: string[], attribute: onnx.IAttributeProto[] = []): onnx.INodeProto => ({ opType, input, output, attribute, name: output[0] });
const intAttr = (name: string, i: number): onnx.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.INT, i });
const floatValue = (name: string, dims: (number | string)[]): onnx.IValueInfoProto => ({
  name, type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d })) } } },
});

function model(nodes: onnx.INodeProto[], initializer: onnx.ITensorProto[], inputDims: (number | string)[], outputDims: (number | string)[]): Uint8Array {
  return onnx.ModelProto.encode({
    irVersion: 8, producerName: "handmade", opsetImport: [{ domain: "", version: 17 }],
    graph: { name: "handmade", node: nodes, initializer, input: [floatValue("x", inputDims)], output: [floatValue("y", outputDims)] },
  }).finish();
}

/** PyTorch's nn.Sequential(Linear(in, hidden), ReLU(), Linear(hidden, out)): Gemm(transB=1) weights [out, in]. */
export function pytorchMlp(w1: Dense2D, b1: number[], w2: Dense2D, b2: number[]): Uint8Array {
  return model([
    node("Gemm", ["x", "fc1.weight", "fc1.bias"], ["h"], [intAttr("transB", 1)]),
    node("Relu", ["h"], ["a"]),
    node("Gemm", ["a", "fc2.weight", "fc2.bias"], ["y"], [intAttr("transB", 1)]),
  ], [
    floatTensor("fc1.weight", [w1.rows, w1.cols], w1.values), floatTensor("fc1.bias", [b1.length], b1),
    floatTensor("fc2.weight", [w2.rows, w2.cols], w2.values), floatTensor("fc2.bias", [b2.length], b2),
  ], ["N", w1.cols], ["N", w2.rows]);
}

/** A classifier head as PyTorch writes it: Gemm, LeakyRelu (default slope), Dropout(0.25), Gemm, Softmax over the classes. */
export function pytorchClassifier(w1: Dense2D, b1: number[], w2: Dense2D, b2: number[]): Uint8Array {
  return model([
    node("Gemm", ["x", "fc1.weight", "fc1.bias"], ["h"], [intAttr("transB", 1)]),
    node("LeakyRelu", ["h"], ["a"], [{ name: "alpha", type: onnx.AttributeProto.AttributeType.FLOAT, f: 0.01 }]),
    node("Dropout", ["a", "ratio"], ["d"]),
    node("Gemm", ["d", "fc2.weight", "fc2.bias"], ["z"], [intAttr("transB", 1)]),
    node("Softmax", ["z"], ["y"], [intAttr("axis", -1)]),
  ], [
    floatTensor("fc1.weight", [w1.rows, w1.cols], w1.values), floatTensor("fc1.bias", [b1.length], b1),
    floatTensor("fc2.weight", [w2.rows, w2.cols], w2.values), floatTensor("fc2.bias", [b2.length], b2),
    floatTensor("ratio", [], [0.25]),
  ], ["N", w1.cols], ["N", w2.rows]);
}

/** The same MLP written as MatMul + Add with weights [in, out] (as TensorFlow converters write it), then Tanh. */
export function matmulMlp(w1: Dense2D, b1: number[]): Uint8Array {
  return model([
    node("MatMul", ["x", "w"], ["h"]),
    node("Add", ["h", "b"], ["z"]),
    node("Tanh", ["z"], ["y"]),
  ], [floatTensor("w", [w1.rows, w1.cols], w1.values), floatTensor("b", [b1.length], b1)], ["N", w1.rows], ["N", w1.cols]);
}

/**
 * A residual block that is not a chain: y = Gemm(Relu(Gemm(x, w1, b1)) + x, w2, b2), with a Reshape through
 * shape arithmetic on the way (Shape -> Gather -> Unsqueeze -> Concat), as PyTorch exports a view(N, -1).
 */
export function residualNet(w1: Dense2D, b1: number[], w2: Dense2D, b2: number[]): Uint8Array {
  return model([
    node("Gemm", ["x", "w1", "b1"], ["h"], [intAttr("transB", 1)]),
    node("Relu", ["h"], ["a"]),
    node("Add", ["a", "x"], ["r"]),
    node("Shape", ["r"], ["s"]),
    node("Gather", ["s", "zero"], ["n"], [intAttr("axis", 0)]),
    node("Unsqueeze", ["n", "axes0"], ["n1"]),
    node("Concat", ["n1", "minus1"], ["target"], [intAttr("axis", 0)]),
    node("Reshape", ["r", "target"], ["flat"]),
    node("Gemm", ["flat", "w2", "b2"], ["y"], [intAttr("transB", 1)]),
  ], [
    floatTensor("w1", [w1.rows, w1.cols], w1.values), floatTensor("b1", [b1.length], b1),
    floatTensor("w2", [w2.rows, w2.cols], w2.values), floatTensor("b2", [b2.length], b2),
    { name: "zero", dims: [], dataType: INT64, int64Data: [0] }, int64Tensor("axes0", [0]), int64Tensor("minus1", [-1]),
  ], ["N", w1.cols], ["N", w2.rows]);
}

/** y = W x + b for one sample, W row-major [out, in] (a naive loop: the independent reference). */
export function linear(w: Dense2D, b: number[], x: number[]): number[] {
  return Array.from({ length: w.rows }, (_, o) => b[o]! + x.reduce((s, xi, i) => s + w.values[o * w.cols + i]! * xi, 0));
}
