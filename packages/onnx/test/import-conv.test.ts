/** @jest-environment ./packages/onnx/test/ort-environment.cjs */
/**
 * fromOnnx on conv nets written independently of toOnnx (PyTorch-style NCHW, OIHW weights): a chain
 * imports as Flux layers and matches ONNX Runtime and a naive loop; a graph of Conv, BatchNormalization,
 * pools, ConvTranspose and Gather matches ONNX Runtime; fine-tuning an imported conv net lowers its loss.
 */
import { Tensor, wrapColMajor, type NdArray } from "@tsflux/graph";
import { mulberry32, randomArray, seedFrom } from "@tsflux/graph/testing";
import { Chain, f32, logitcrossentropy, onehotbatch } from "@tsflux/layers";
import { Adam, setup } from "@tsflux/optim";
import { Duplicated, train } from "@tsflux/enzyme-compat";
import { OnnxError, OnnxGraph, fromOnnx, toOnnx } from "@tsflux/onnx";
import { runOrt, relativeError } from "./ort";
import { convGraph, convNetReference, convNetWeights, oneNode, pytorchConvNet, randomTensor } from "./handmade-conv";
import { CONV_OP_MODELS } from "./op-models-conv";
import { lenet5 } from "./lenet5";
import { randomizeParams } from "../../layers/test/params";

const RTOL = 1e-5;
type Model = { forward(x: NdArray | Tensor): Tensor };

/** Sample j of a [W, H, C, N] array as row-major CHW numbers (the same bytes as ONNX's [N, C, H, W]). */
const sample = (x: NdArray, j: number) => {
  const per = x.shape.slice(0, -1).reduce((a, b) => a * b, 1);
  return Array.from(x.data.subarray(x.offset + j * per, x.offset + (j + 1) * per));
};

describe("an independently written PyTorch conv net (Conv OIHW, Relu, MaxPool, Flatten, Gemm)", () => {
  const rng = mulberry32(seedFrom("pytorch conv net"));
  const weights = convNetWeights(rng);
  const bytes = pytorchConvNet(weights);

  test("imports as a Chain of Flux layers: Conv with the kernel flipped, MaxPool, flatten, Dense", () => {
    const model = fromOnnx(bytes) as Chain;
    expect(model).toBeInstanceOf(Chain);
    const lines = String(model).split("\n").map((l) => l.trim().replace(/\s+#.*/, ""));
    expect(lines.slice(0, 6)).toEqual(["Chain(", "Conv((3, 3), 2 => 4, relu, pad=1),", "MaxPool((2, 2)),", "flatten,", "Dense(36 => 3),", ")"]);
    // Flux's weight[kw, kh, i, o] (a true convolution) is PyTorch's weight[o, i, 2 - kh, 2 - kw] (0-based)
    const w = (model.layers as unknown as { weight: NdArray }[])[0]!.weight;
    for (const [kw, kh, i, o] of [[0, 0, 0, 0], [2, 1, 1, 3], [1, 2, 0, 2]] as const) {
      expect(w.get(kw, kh, i, o)).toBe(Math.fround(weights.conv.values[((o * 2 + i) * 3 + (2 - kh)) * 3 + (2 - kw)]!));
    }
  });

  test.each([1, 7])("matches ONNX Runtime and a naive loop at batch %i", async (n) => {
    const x = randomArray(rng, [6, 6, 2, n], "f32", "real");
    const y = (fromOnnx(bytes) as Model).forward(x).toNdarray();
    const [ort] = await runOrt(bytes, x);
    const naive = wrapColMajor(Float32Array.from(Array.from({ length: n }, (_, j) => convNetReference(weights, sample(x, j))).flat()), [3, n]);
    expect(relativeError(y, ort!)).toBeLessThanOrEqual(RTOL);
    expect(relativeError(y, naive)).toBeLessThanOrEqual(RTOL);
  });

  test("fine-tuning it with train lowers its loss", () => {
    const model = fromOnnx(bytes) as Model;
    const data = Array.from({ length: 3 }, (_, b) => {
      const x = randomArray(mulberry32(b + 10), [6, 6, 2, 8], "f32", "real");
      return [x, onehotbatch(Array.from({ length: 8 }, (_, k) => (k + b) % 3), [0, 1, 2])] as const;
    });
    const loss = (m: Model, x: Tensor, y: Tensor) => logitcrossentropy(m.forward(x), y);
    const total = () => data.reduce((s, [x, y]) => s + Number(loss(model, Tensor.concrete(x), Tensor.concrete(y))), 0);
    const before = total();
    const dup = Duplicated(model), state = setup(Adam(0.01), model);
    for (let epoch = 0; epoch < 20; epoch++) train(loss, dup, data, state);
    expect(total()).toBeLessThan(before * 0.5);
  });
});

describe("an independently written conv graph (grouped strided Conv, BatchNormalization, AveragePool, ConvTranspose, global pools, Gather)", () => {
  const bytes = convGraph(mulberry32(seedFrom("conv graph")));

  test.each([1, 7])("imports as an OnnxGraph that matches ONNX Runtime at batch %i", async (n) => {
    const model = fromOnnx(bytes);
    expect(model).toBeInstanceOf(OnnxGraph);
    const x = randomArray(mulberry32(n), [6, 7, 2, n], "f32", "real");
    const [ort] = await runOrt(bytes, x);
    expect(relativeError((model as Model).forward(x).toNdarray(), ort!)).toBeLessThanOrEqual(RTOL);
  });

  test("fine-tuning it with train lowers its loss", () => {
    const model = fromOnnx(bytes) as Model;
    const data = [0, 1].map((b) => [randomArray(mulberry32(b + 20), [6, 7, 2, 6], "f32", "real"), randomArray(mulberry32(b + 30), [2, 6], "f32", "unit")] as const);
    const loss = (m: Model, x: Tensor, y: Tensor) => logitcrossentropy(m.forward(x), y);
    const total = () => data.reduce((s, [x, y]) => s + Number(loss(model, Tensor.concrete(x), Tensor.concrete(y))), 0);
    const before = total();
    const dup = Duplicated(model), state = setup(Adam(0.01), model);
    for (let epoch = 0; epoch < 20; epoch++) train(loss, dup, data, state);
    expect(total()).toBeLessThan(before);
  });
});

describe("round trips of conv models", () => {
  test("LeNet-5 comes back as the same Chain and computes what it computes", () => {
    const model = f32(randomizeParams(lenet5(), mulberry32(3)));
    const back = fromOnnx(toOnnx(model, randomArray(mulberry32(4), [28, 28, 1, 2], "f32", "real"))) as Chain;
    const lines = String(back).split("\n").map((l) => l.trim().replace(/\s+#.*/, ""));
    expect(lines.slice(0, 10)).toEqual(["Chain(", "Conv((5, 5), 1 => 6, relu),", "MaxPool((2, 2)),", "Conv((5, 5), 6 => 16, relu),", "MaxPool((2, 2)),", "flatten,", "Dense(256 => 120, relu),", "Dense(120 => 84, relu),", "Dense(84 => 10),", ")"]);
    // the flipped initializer flipped back: Flux's own weights
    const weight = (c: Chain, i: number) => Array.from((c.layers as unknown as { weight: NdArray }[])[i]!.weight.data);
    expect(weight(back, 2)).toEqual(weight(model, 2));
    for (const n of [1, 7]) {
      const x = randomArray(mulberry32(5 + n), [28, 28, 1, n], "f32", "real");
      expect(relativeError(back.forward(x).toNdarray(), model.forward(x).toNdarray())).toBeLessThanOrEqual(RTOL);
    }
  });

  test.each(CONV_OP_MODELS)("op model: $name", ({ name, f, features }) => {
    const rng = mulberry32(seedFrom(`round trip ${name}`));
    const back = fromOnnx(toOnnx(f, randomArray(rng, [...features, 3], "f32", "real"))) as Model;
    for (const n of [1, 7]) {
      const x = randomArray(rng, [...features, n], "f32", "real");
      expect([name, n, relativeError(back.forward(x).toNdarray(), f(Tensor.concrete(x)).toNdarray()) <= RTOL]).toEqual([name, n, true]);
    }
  });
});

describe("auto_pad and errors", () => {
  const rng = mulberry32(seedFrom("auto pad"));
  test.each([
    ["MaxPool, SAME_UPPER, stride 2", oneNode("MaxPool", { kernel_shape: [3, 2], strides: [2, 2], auto_pad: "SAME_UPPER" }, ["N", 2, 5, 6])],
    ["Conv, SAME_LOWER, stride 2", oneNode("Conv", { auto_pad: "SAME_LOWER", strides: [2, 1] }, ["N", 2, 5, 6], { w: randomTensor(rng, [3, 2, 2, 3]) })],
    ["AveragePool, VALID", oneNode("AveragePool", { kernel_shape: [2, 3], auto_pad: "VALID" }, ["N", 2, 5, 6])],
  ])("%s matches ONNX Runtime", async (_name, bytes) => {
    const x = randomArray(rng, [6, 5, 2, 3], "f32", "real");
    const [ort] = await runOrt(bytes, x);
    expect(relativeError((fromOnnx(bytes) as Model).forward(x).toNdarray(), ort!)).toBeLessThanOrEqual(RTOL);
  });

  test.each([
    ["ceil_mode", oneNode("MaxPool", { kernel_shape: [2, 2], ceil_mode: 1 }, ["N", 1, 4, 4]), "fromOnnx: MaxPool node 'y': ceil_mode=1 is not supported (tsflux's pools floor the output size, as NNlib's)"],
    ["output_shape", oneNode("ConvTranspose", { output_shape: [9, 9] }, ["N", 2, 4, 4], { w: randomTensor(rng, [2, 1, 3, 3]) }), "fromOnnx: ConvTranspose node 'y': output_shape is not supported; write the output size with pads and output_padding"],
    ["a kernel_shape that is not the weight's", oneNode("Conv", { kernel_shape: [2, 2] }, ["N", 2, 4, 4], { w: randomTensor(rng, [1, 2, 3, 3]) }), "fromOnnx: Conv node 'y': kernel_shape [2, 2] differs from the weight's spatial dims [3, 3]"],
    ["data of rank 2", oneNode("GlobalAveragePool", {}, ["N", 4]), "fromOnnx: GlobalAveragePool node 'y': expected data [N, C, spatial...] with 1 to 3 spatial dims, got dims [1, 4]"],
  ])("%s is an error naming the node", (_what, bytes, message) => {
    expect(() => fromOnnx(bytes)).toThrow(OnnxError);
    expect(() => fromOnnx(bytes)).toThrow(message);
  });
});
