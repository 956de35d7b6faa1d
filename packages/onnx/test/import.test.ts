/** @jest-environment ./packages/onnx/test/ort-environment.cjs */
/**
 * fromOnnx on models written independently of toOnnx (PyTorch-style Gemm with transB=1, MatMul + Add, a
 * residual graph with shape arithmetic): its outputs match ONNX Runtime's and a naive loop; round trips of
 * toOnnx; fine-tuning an imported model with train lowers its loss.
 */
import { Tensor, wrapColMajor, type NdArray } from "@tsflux/graph";
import { onnx } from "onnx-proto";
import { mulberry32, randomArray, seedFrom } from "@tsflux/graph/testing";
import { Chain, Dense, LayerNorm, mse, sigmoid, softmax, f32, type Layer } from "@tsflux/layers";
import { Adam, setup } from "@tsflux/optim";
import { Duplicated, train } from "@tsflux/enzyme-compat";
import { OnnxError, OnnxGraph, fromOnnx, toOnnx } from "@tsflux/onnx";
import { TEST_MODELS } from "../../layers/test/model-zoo";
import { randomizeParams } from "../../layers/test/params";
import { OP_MODELS } from "./op-models";
import { runOrt, relativeError } from "./ort";
import { unmappedOps } from "./unmapped";
import { exportable, exportWithFallback, zooInput } from "./zoo-cases";
import { linear, matmulMlp, pytorchClassifier, pytorchMlp, randomMatrix, residualNet, type Dense2D } from "./handmade";

const RTOL = 1e-5;
const BATCHES = [1, 7];
type Model = { forward(x: NdArray | Tensor): Tensor };

/** Column `j` of a column-major [features, batch] array. */
const column = (x: NdArray, j: number) => Array.from({ length: x.shape[0]! }, (_, i) => x.get(i, j));
const fromColumns = (cols: number[][]) => wrapColMajor(Float32Array.from(cols.flat()), [cols[0]!.length, cols.length]);

describe("an independently written PyTorch-style MLP (Gemm, transB=1)", () => {
  const rng = mulberry32(seedFrom("pytorch mlp"));
  const w1 = randomMatrix(rng, 6, 5), b1 = randomMatrix(rng, 1, 6).values, w2 = randomMatrix(rng, 3, 6), b2 = randomMatrix(rng, 1, 3).values;
  const bytes = pytorchMlp(w1, b1, w2, b2);
  const naive = (x: NdArray) => fromColumns(Array.from({ length: x.shape[1]! }, (_, j) => linear(w2, b2, linear(w1, b1, column(x, j)).map((v) => Math.max(v, 0)))));

  test("imports as Chain(Dense(5 => 6, relu), Dense(6 => 3)) with Flux's [out, in] weights", () => {
    const model = fromOnnx(bytes) as Chain;
    expect(model).toBeInstanceOf(Chain);
    expect(String(model).split("\n").slice(0, 4).map((l) => l.trim().replace(/\s+#.*/, ""))).toEqual(["Chain(", "Dense(5 => 6, relu),", "Dense(6 => 3),", ")"]);
    const w = ((model.layers as unknown as unknown[])[0] as { weight: NdArray }).weight;
    expect([w.shape, w.get(2, 4)]).toEqual([[6, 5], Math.fround(w1.values[2 * 5 + 4]!)]);
  });

  test.each(BATCHES)("matches ONNX Runtime and a naive loop at batch %i", async (n) => {
    const x = randomArray(rng, [5, n], "f32", "real");
    const y = (fromOnnx(bytes) as Model).forward(x).toNdarray();
    const [ort] = await runOrt(bytes, x);
    expect(relativeError(y, ort!)).toBeLessThanOrEqual(RTOL);
    expect(relativeError(y, naive(x))).toBeLessThanOrEqual(RTOL);
  });
});

describe("a PyTorch-style classifier head (LeakyRelu, Dropout, Softmax)", () => {
  const rng = mulberry32(seedFrom("pytorch classifier"));
  const w1 = randomMatrix(rng, 6, 5), b1 = randomMatrix(rng, 1, 6).values, w2 = randomMatrix(rng, 3, 6), b2 = randomMatrix(rng, 1, 3).values;
  const bytes = pytorchClassifier(w1, b1, w2, b2);
  const naive = (x: NdArray) => fromColumns(Array.from({ length: x.shape[1]! }, (_, j) => {
    const z = linear(w2, b2, linear(w1, b1, column(x, j)).map((v) => (v > 0 ? v : 0.01 * v)));
    const m = Math.max(...z), e = z.map((v) => Math.exp(v - m)), s = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / s);
  }));

  test.each(BATCHES)("imports as Chain(Dense(5 => 6, leakyrelu), Dropout(0.25), Dense(6 => 3), softmax) and matches ONNX Runtime and a naive loop at batch %i", async (n) => {
    const model = fromOnnx(bytes);
    expect(String(model).split("\n").slice(0, 6).map((l) => l.trim().replace(/\s+#.*/, ""))).toEqual(["Chain(", "Dense(5 => 6, leakyrelu),", "Dropout(0.25),", "Dense(6 => 3),", "softmax,", ")"]);
    const x = randomArray(rng, [5, n], "f32", "real");
    const y = (model as Model).forward(x).toNdarray();
    const [ort] = await runOrt(bytes, x);
    expect(relativeError(y, ort!)).toBeLessThanOrEqual(RTOL);
    expect(relativeError(y, naive(x))).toBeLessThanOrEqual(RTOL);
  });
});

describe("MatMul + Add with weights [in, out]", () => {
  const rng = mulberry32(seedFrom("matmul mlp"));
  const w = randomMatrix(rng, 4, 3), b = randomMatrix(rng, 1, 3).values;
  const bytes = matmulMlp(w, b);
  // W here is [in, out] row-major: output o of a sample is tanh(b[o] + Σ_i x[i] W[i, o])
  const transposed: Dense2D = { rows: 3, cols: 4, values: Array.from({ length: 12 }, (_, k) => w.values[(k % 4) * 3 + Math.floor(k / 4)]!) };
  const naive = (x: NdArray) => fromColumns(Array.from({ length: x.shape[1]! }, (_, j) => linear(transposed, b, column(x, j)).map(Math.tanh)));

  test.each(BATCHES)("imports as Chain(Dense(4 => 3, tanh)) and matches ONNX Runtime and a naive loop at batch %i", async (n) => {
    const model = fromOnnx(bytes);
    expect(String(model)).toContain("Dense(4 => 3, tanh)");
    const x = randomArray(rng, [4, n], "f32", "real");
    const y = (model as Model).forward(x).toNdarray();
    const [ort] = await runOrt(bytes, x);
    expect(relativeError(y, ort!)).toBeLessThanOrEqual(RTOL);
    expect(relativeError(y, naive(x))).toBeLessThanOrEqual(RTOL);
  });
});

describe("a residual graph with shape arithmetic (not a chain)", () => {
  const rng = mulberry32(seedFrom("residual"));
  const w1 = randomMatrix(rng, 4, 4), b1 = randomMatrix(rng, 1, 4).values, w2 = randomMatrix(rng, 2, 4), b2 = randomMatrix(rng, 1, 2).values;
  const bytes = residualNet(w1, b1, w2, b2);
  const naive = (x: NdArray) => fromColumns(Array.from({ length: x.shape[1]! }, (_, j) => {
    const xj = column(x, j);
    return linear(w2, b2, linear(w1, b1, xj).map((v, i) => Math.max(v, 0) + xj[i]!));
  }));

  test.each(BATCHES)("imports as an OnnxGraph layer that matches ONNX Runtime and a naive loop at batch %i", async (n) => {
    const model = fromOnnx(bytes);
    expect(model).toBeInstanceOf(OnnxGraph);
    const x = randomArray(rng, [4, n], "f32", "real");
    const y = (model as Model).forward(x).toNdarray();
    const [ort] = await runOrt(bytes, x);
    expect(relativeError(y, ort!)).toBeLessThanOrEqual(RTOL);
    expect(relativeError(y, naive(x))).toBeLessThanOrEqual(RTOL);
  });
});

describe("round trips: fromOnnx(toOnnx(model)) computes what the model computes", () => {
  test("the seed model comes back as the same Chain", () => {
    const model = Chain(Dense(784, 32, sigmoid), Dense(32, 10), softmax);
    const back = fromOnnx(toOnnx(model, randomArray(mulberry32(1), [784, 1], "f32", "real"))) as Chain;
    expect(String(back).split("\n").slice(0, 5).map((l) => l.trim().replace(/\s+#.*/, ""))).toEqual(["Chain(", "Dense(784 => 32, σ),", "Dense(32 => 10),", "softmax,", ")"]);
    const x = randomArray(mulberry32(2), [784, 7], "f32", "real");
    expect(relativeError(back.forward(x).toNdarray(), model.forward(x).toNdarray())).toBeLessThanOrEqual(RTOL);
  });

  test("a non-chain model comes back as an OnnxGraph whose trainable params are the model's arrays, by path", () => {
    const model = Chain(Dense(4, 3), LayerNorm(3), Dense(3, 2));
    const back = fromOnnx(toOnnx(model, randomArray(mulberry32(4), [4, 2], "f32", "real"))) as OnnxGraph;
    expect(back).toBeInstanceOf(OnnxGraph);
    expect(Object.keys(back.params).sort()).toEqual(["layers.0.bias", "layers.0.weight", "layers.1.diag.bias", "layers.1.diag.scale", "layers.2.bias", "layers.2.weight"]);
    expect(back.params["layers.0.weight"]!.shape).toEqual([3, 4]);
  });

  test.each(TEST_MODELS.filter((c) => c.input.length > 2 || (c.input.length === 2 && !/over \[\d+, \d+\]$/.test(c.name))))("layer zoo: $name", (c) => {
    const rng = mulberry32(seedFrom(`round trip ${c.name}`));
    const model = exportable(c, f32(randomizeParams(c.build(), rng))) as Layer;
    // a layer whose ops have no export rule yet is covered by the export test's error check
    if (unmappedOps(model, zooInput(c, rng, 3)).length > 0) return;
    const { bytes, dynamic } = exportWithFallback(model, zooInput(c, rng, 3), {});
    const back = fromOnnx(bytes) as Model;
    for (const n of c.fixedInput || !dynamic ? [3] : BATCHES) {
      const x = zooInput(c, rng, n);
      expect([c.name, n, relativeError(back.forward(x).toNdarray(), model.forward(x).toNdarray()) <= RTOL]).toEqual([c.name, n, true]);
    }
  });

  test.each(OP_MODELS)("op model: $name", ({ name, f, features }) => {
    const rng = mulberry32(seedFrom(`round trip ${name}`));
    const back = fromOnnx(toOnnx(f, randomArray(rng, [...features, 3], "f32", "real"))) as Model;
    for (const n of BATCHES) {
      const x = randomArray(rng, [...features, n], "f32", "real");
      expect([name, n, relativeError(back.forward(x).toNdarray(), f(Tensor.concrete(x)).toNdarray()) <= RTOL]).toEqual([name, n, true]);
    }
  });
});

describe("fine-tuning an imported model with train", () => {
  /** Mean loss over a fixed regression set, before and after a few epochs of Adam. */
  function fineTune(model: Model, inputs: number, outputs: number): [number, number] {
    const rng = mulberry32(seedFrom(`fine-tune ${inputs}`));
    const data = Array.from({ length: 4 }, () => {
      const x = randomArray(rng, [inputs, 8], "f32", "real");
      return [x, randomArray(rng, [outputs, 8], "f32", "unit")] as const;
    });
    const loss = (m: Model, x: Tensor, y: Tensor) => mse(m.forward(x), y);
    const total = () => data.reduce((s, [x, y]) => s + Number(loss(model, Tensor.concrete(x), Tensor.concrete(y))), 0);
    const before = total();
    const dup = Duplicated(model);
    const state = setup(Adam(0.01), model);
    for (let epoch = 0; epoch < 20; epoch++) train(loss, dup, data, state);
    return [before, total()];
  }

  test("a PyTorch-style MLP imported as a Chain", () => {
    const rng = mulberry32(seedFrom("fine-tune chain"));
    const model = fromOnnx(pytorchMlp(randomMatrix(rng, 6, 5), randomMatrix(rng, 1, 6).values, randomMatrix(rng, 3, 6), randomMatrix(rng, 1, 3).values));
    const [before, after] = fineTune(model as Model, 5, 3);
    expect(after).toBeLessThan(before * 0.5);
  });

  test("a residual graph imported as an OnnxGraph layer", () => {
    const rng = mulberry32(seedFrom("fine-tune graph"));
    const model = fromOnnx(residualNet(randomMatrix(rng, 4, 4), randomMatrix(rng, 1, 4).values, randomMatrix(rng, 2, 4), randomMatrix(rng, 1, 2).values));
    const [before, after] = fineTune(model as Model, 4, 2);
    expect(after).toBeLessThan(before * 0.5);
  });
});

describe("errors", () => {
  test("bytes that are not ONNX", () => {
    expect(() => fromOnnx(new Uint8Array([1, 2, 3, 4, 5]))).toThrow(OnnxError);
    expect(() => fromOnnx(new Uint8Array([1, 2, 3, 4, 5]))).toThrow(/^fromOnnx: the bytes are not an ONNX model/);
  });

  test("an op with no tsflux counterpart is named", () => {
    const dims = { dim: [{ dimParam: "N" }, { dimValue: 3 }] };
    const bytes = onnx.ModelProto.encode({
      irVersion: 8, opsetImport: [{ domain: "", version: 17 }],
      graph: {
        node: [{ opType: "Erf", input: ["x"], output: ["y"], name: "erf" }],
        input: [{ name: "x", type: { tensorType: { elemType: 1, shape: dims } } }], output: [{ name: "y", type: { tensorType: { elemType: 1, shape: dims } } }],
      },
    }).finish();
    expect(() => fromOnnx(bytes)).toThrow("fromOnnx: op 'Erf' has no tsflux counterpart");
  });

  test("an imported graph names its expected input dims", () => {
    const rng = mulberry32(3);
    const model = fromOnnx(residualNet(randomMatrix(rng, 4, 4), [0, 0, 0, 0], randomMatrix(rng, 2, 4), [0, 0])) as Model;
    expect(() => model.forward(randomArray(rng, [3, 2], "f32", "real"))).toThrow("OnnxGraph: expected an input of ONNX dims [N, 4] (tsflux size (4, N)), got size (3, 2)");
  });
});
