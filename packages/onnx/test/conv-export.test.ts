/** @jest-environment ./packages/onnx/test/ort-environment.cjs */
/**
 * Conv nets exported to ONNX: LeNet-5 runs in ONNX Runtime at batch sizes 1 and 7 within 1e-5 relative
 * in Float32, its conv weights are stored flipped in OIHW (ONNX Conv cross-correlates), and the ops
 * tsflux writes are the ones a PyTorch export has.
 */
import { Tensor, leaves, type NdArray } from "@tsflux/graph";
import { mulberry32, randomArray } from "@tsflux/graph/testing";
import { CrossCor, f32 } from "@tsflux/layers";
import { toOnnx } from "@tsflux/onnx";
import { onnx } from "onnx-proto";
import { randomizeParams } from "../../layers/test/params";
import { lenet5 } from "./lenet5";
import { relativeError, runOrt } from "./ort";

const floats = (t: onnx.ITensorProto) => new Float32Array(t.rawData!.buffer.slice(t.rawData!.byteOffset, t.rawData!.byteOffset + t.rawData!.byteLength));
const weightOf = (model: unknown, path: string): NdArray => leaves(model).find((l) => l.path === path)!.value;

describe("LeNet-5", () => {
  const model = f32(randomizeParams(lenet5(), mulberry32(5)));
  const rng = mulberry32(28);
  const images = (n: number) => randomArray(rng, [28, 28, 1, n], "f32", "real");
  const bytes = toOnnx(model, images(3));
  const decoded = onnx.ModelProto.decode(bytes);

  test("runs in ONNX Runtime at batch sizes 1 and 7 within 1e-5 relative (Float32)", async () => {
    for (const n of [1, 7]) {
      const x = images(n);
      const [y] = await runOrt(bytes, x);
      expect([n, relativeError(y!, model.forward(Tensor.concrete(x)).toNdarray()) <= 1e-5]).toEqual([n, true]);
    }
  });

  test("takes [N, 1, 28, 28] and writes Conv with its bias, Relu, MaxPool, Flatten and Gemm as a PyTorch export does", () => {
    const dims = (v: onnx.IValueInfoProto) => v.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue));
    expect(dims(decoded.graph!.input![0]!)).toEqual(["batch", 1, 28, 28]);
    expect(dims(decoded.graph!.output![0]!)).toEqual(["batch", 10]);
    const ops = decoded.graph!.node!.map((n) => n.opType);
    expect(ops.filter((o) => o === "Conv").length).toBe(2);
    expect(ops.filter((o) => o === "MaxPool").length).toBe(2);
    expect(ops.filter((o) => o === "Gemm").length).toBe(3);
    expect(ops.slice(0, 7)).toEqual(["Conv", "Relu", "MaxPool", "Conv", "Relu", "MaxPool", "Flatten"]);
    expect(decoded.graph!.node!.filter((n) => n.opType === "Conv").map((n) => n.input!.slice(2))).toEqual([["layers.0.bias"], ["layers.2.bias"]]);
    const conv = decoded.graph!.node!.find((n) => n.opType === "Conv")!;
    const attr = (name: string) => conv.attribute!.find((a) => a.name === name)!.ints!.map(Number);
    expect([attr("kernel_shape"), attr("strides"), attr("pads")]).toEqual([[5, 5], [1, 1], [0, 0, 0, 0]]);
  });

  test("a Conv weight [kW, kH, Cin, Cout] is stored as ONNX OIHW with both spatial dims reversed", () => {
    const conv = decoded.graph!.node!.filter((n) => n.opType === "Conv")[1]!;
    const init = decoded.graph!.initializer!.find((t) => t.name === conv.input![1])!;
    expect(init.dims!.map(Number)).toEqual([16, 6, 5, 5]);
    const w = weightOf(model, ".layers[2].weight"), stored = floats(init);
    // ONNX [o, i, h, w] row-major holds Flux's weight[5 - w, 5 - h, i, o] (1-based): the flipped kernel
    for (const [o, i, h, ww] of [[0, 0, 0, 0], [15, 5, 4, 4], [3, 2, 1, 4], [7, 0, 4, 0]] as const) {
      expect(stored[((o * 6 + i) * 5 + h) * 5 + ww]).toBe(w.get(4 - ww, 4 - h, i, o));
    }
  });
});

test("CrossCor's weight is stored unflipped: it is the same bytes as the parameter", () => {
  const layer = f32(randomizeParams(CrossCor([3, 2], 2, 4), mulberry32(2)));
  const decoded = onnx.ModelProto.decode(toOnnx(layer, randomArray(mulberry32(3), [6, 5, 2, 1], "f32", "real")));
  const init = decoded.graph!.initializer!.find((t) => t.name === "weight")!;
  expect(init.dims!.map(Number)).toEqual([4, 2, 2, 3]);
  const w = weightOf(layer, ".weight"), stored = floats(init);
  for (const [o, i, h, ww] of [[0, 0, 0, 0], [3, 1, 1, 2], [2, 0, 1, 0]] as const) expect(stored[((o * 2 + i) * 2 + h) * 3 + ww]).toBe(w.get(ww, h, i, o));
});
