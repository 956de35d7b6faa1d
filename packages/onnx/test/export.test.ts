/** @jest-environment ./packages/onnx/test/ort-environment.cjs */
/**
 * Every model of the layer zoo and every op model is exported, run in ONNX Runtime at batch sizes 1 and 7,
 * and compared with tsflux's own forward pass in Float32: they agree within 1e-5 relative.
 */
import { Tensor, add, getindex, leaves, mean, mul, randomUniform, type NdArray } from "@tsflux/graph";
import { onnx } from "onnx-proto";
import { mulberry32, randomArray, seedFrom } from "@tsflux/graph/testing";
import { Chain, Dense, Dropout, Parallel, sigmoid, softmax, tanh, f32, f64, trainmode } from "@tsflux/layers";
import { OnnxError, toOnnx } from "@tsflux/onnx";
import { TEST_MODELS } from "../../layers/test/model-zoo";
import { randomizeParams } from "../../layers/test/params";
import { OP_MODELS } from "./op-models";
import { CONV_OP_MODELS } from "./op-models-conv";
import { runOrt, relativeError } from "./ort";
import { unmappedOps } from "./unmapped";
import { exportable, exportWithFallback, zooInput } from "./zoo-cases";

const RTOL = 1e-5;
const BATCHES = [1, 7];

type Model = { forward(x: Tensor): Tensor } | ((x: Tensor) => Tensor);
const forward = (m: Model, x: NdArray): NdArray => (typeof m === "function" ? m(Tensor.concrete(x)) : m.forward(Tensor.concrete(x))).toNdarray();

/** ORT's output against tsflux's at each batch size; returns the worst relative error. */
async function checkInOrt(name: string, model: Model, bytes: Uint8Array, inputAt: (n: number) => NdArray, batches: readonly number[]): Promise<number> {
  let worst = 0;
  for (const n of batches) {
    const x = inputAt(n);
    const [y] = await runOrt(bytes, x);
    const err = relativeError(y!, forward(model, x));
    expect([name, n, err <= RTOL]).toEqual([name, n, true]);
    worst = Math.max(worst, err);
  }
  return worst;
}

describe("the layer zoo in ONNX Runtime", () => {
  test.each(TEST_MODELS)("$name", async (c) => {
    const rng = mulberry32(seedFrom(c.name));
    const model = exportable(c, f32(randomizeParams(c.build(), rng)));
    const inputAt = (n: number) => zooInput(c, rng, n);
    // an input without a batch dim (a sequence [features, len]) or a fixed one exports with a static batch
    const batched = !c.fixedInput && (c.input.length > 2 || (c.input.length === 2 && !/over \[\d+, \d+\]$/.test(c.name)));
    const options = batched ? {} : { batch: "static" as const };
    const missing = unmappedOps(model, inputAt(3));
    if (missing.length > 0) {
      // a layer whose ops have no export rule yet must fail clearly, naming the op
      expect(() => toOnnx(model, inputAt(3), options)).toThrow(new RegExp(`op '(${missing.join("|")})'.*has no ONNX counterpart`));
      return;
    }
    const { bytes, dynamic } = exportWithFallback(model, inputAt(3), options);
    await checkInOrt(c.name, model, bytes, inputAt, batched && dynamic ? BATCHES : [3]);
  });
});

describe("op models in ONNX Runtime", () => {
  test.each([...OP_MODELS, ...CONV_OP_MODELS])("$name", async ({ name, f, features }) => {
    const rng = mulberry32(seedFrom(name));
    const inputAt = (n: number) => randomArray(rng, [...features, n], "f32", "real");
    await checkInOrt(name, f, toOnnx(f, inputAt(3)), inputAt, BATCHES);
  });

  test("Parallel with one input per branch: two ONNX inputs sharing the batch dim", async () => {
    const rng = mulberry32(seedFrom("two inputs"));
    const model = f32(randomizeParams(Parallel(add, Dense(3, 2, tanh), Dense(4, 2)), rng)) as Parallel;
    const inputsAt = (n: number) => [randomArray(rng, [3, n], "f32", "real"), randomArray(rng, [4, n], "f32", "real")];
    const bytes = toOnnx(model, inputsAt(3));
    const decoded = onnx.ModelProto.decode(bytes);
    expect(decoded.graph!.input!.map((v) => v.name)).toEqual(["input_0", "input_1"]);
    for (const n of BATCHES) {
      const xs = inputsAt(n);
      const [y] = await runOrt(bytes, xs);
      expect(relativeError(y!, model.forward(...xs.map((x) => Tensor.concrete(x))).toNdarray())).toBeLessThanOrEqual(RTOL);
    }
    expect(() => toOnnx(model, [randomArray(rng, [3, 2], "f32", "real"), randomArray(rng, [4, 3], "f32", "real")])).toThrow("toOnnx: the example inputs have batch sizes 2, 3; they must share one (the last dim)");
  });

  test("static batch: the exported input and output keep the example's batch size", async () => {
    const model = f32(randomizeParams(Chain(Dense(5, 4, sigmoid), Dense(4, 3), softmax), mulberry32(5)));
    const x = randomArray(mulberry32(6), [5, 2], "f32", "real");
    const bytes = toOnnx(model, x, { batch: "static", opset: 18 });
    await checkInOrt("static", model, bytes, () => x, [2]);
    await expect(runOrt(bytes, randomArray(mulberry32(7), [5, 7], "f32", "real"))).rejects.toThrow(/dimension|shape/i);
  });
});

describe("the seed model", () => {
  const model = Chain(Dense(784, 32, sigmoid), Dense(32, 10), softmax);

  test("runs in ONNX Runtime at batch sizes 1 and 7, in opsets 17 and 18", async () => {
    const rng = mulberry32(17);
    for (const opset of [17, 18]) {
      const bytes = toOnnx(model, randomArray(rng, [784, 1], "f32", "real"), { opset });
      await checkInOrt(`seed, opset ${opset}`, model, bytes, (n) => randomArray(rng, [784, n], "f32", "real"), BATCHES);
    }
  });

  test("in Float64 it runs in ONNX Runtime as DOUBLE and agrees to 1e-12", async () => {
    const model64 = f64(model);
    const rng = mulberry32(64);
    const bytes = toOnnx(model64, randomArray(rng, [784, 1], "f64", "real"));
    for (const n of BATCHES) {
      const x = randomArray(rng, [784, n], "f64", "real");
      const [y] = await runOrt(bytes, x);
      expect(y!.data).toBeInstanceOf(Float64Array);
      expect(relativeError(y!, forward(model64, x))).toBeLessThanOrEqual(1e-12);
    }
  });

  test("Dropout in training mode is removed from the export, and the model's mode is kept", async () => {
    const withDropout = Chain(Dense(6, 4, sigmoid), trainmode(Dropout(0.5)), Dense(4, 2));
    const bytes = toOnnx(withDropout, randomArray(mulberry32(1), [6, 2], "f32", "real"));
    expect((withDropout.layers[1] as Dropout).active).toBe(true);
    const x = randomArray(mulberry32(2), [6, 7], "f32", "real");
    const [y] = await runOrt(bytes, x);
    const reference = Chain(withDropout.layers[0], withDropout.layers[2]);
    expect(relativeError(y!, forward(reference, x))).toBeLessThanOrEqual(RTOL);
  });

  test("parameters are initializers stored as the row-major view of the same bytes", () => {
    const decoded = onnx.ModelProto.decode(toOnnx(model, randomArray(mulberry32(3), [784, 1], "f32", "real")));
    const dims = (t: { dims?: unknown[] | null }) => (t.dims ?? []).map(Number);
    const byName = new Map(decoded.graph!.initializer!.map((t) => [t.name, t]));
    expect(dims(byName.get("layers.0.weight")!)).toEqual([784, 32]);
    const w = leaves(model).find((l) => l.path === ".layers[0].weight")!.value;
    const raw = byName.get("layers.0.weight")!.rawData!;
    const stored = new Float32Array(raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength));
    // ONNX [i, o] (row-major) is tsflux weight[o, i]
    for (const [i, o] of [[0, 0], [1, 0], [0, 1], [783, 31], [100, 7]] as const) expect(stored[i * 32 + o]).toBe(w.get(o, i));
    const shape = (v: onnx.IValueInfoProto) => v.type!.tensorType!.shape!.dim!.map((d) => d.dimParam || Number(d.dimValue));
    expect(shape(decoded.graph!.input![0]!)).toEqual(["batch", 784]);
    expect(shape(decoded.graph!.output![0]!)).toEqual(["batch", 10]);
    expect(Number(decoded.opsetImport![0]!.version)).toEqual(17);
  });
});

describe("errors", () => {
  test("an op with no ONNX counterpart is named", () => {
    const f = (x: Tensor) => mul(x, randomUniform(x.shape, "f32"));
    expect(() => toOnnx(f, randomArray(mulberry32(1), [3, 2], "f32", "real"))).toThrow(OnnxError);
    expect(() => toOnnx(f, randomArray(mulberry32(1), [3, 2], "f32", "real"))).toThrow("toOnnx: op 'randomUniform' (making %1 of shape (3, 2)) has no ONNX counterpart");
  });

  test("an opset before 17 is refused", () => {
    expect(() => toOnnx(Dense(2, 2), randomArray(mulberry32(1), [2, 1], "f32", "real"), { opset: 13 })).toThrow("toOnnx: opset 13 is not supported; use an opset from 17 to 21");
  });

  test("a constant that depends on the batch size (a mean over the batch) needs a static batch", async () => {
    const f = (x: Tensor) => mean(x, { dims: 2 });
    const x = randomArray(mulberry32(1), [3, 4], "f32", "real");
    expect(() => toOnnx(f, x)).toThrow(`toOnnx: op 'full' has value=4 at batch 4 but value=5 at batch 5 (as a mean over the batch has); export with { batch: "static" }`);
    await checkInOrt("mean over the batch", f, toOnnx(f, x, { batch: "static" }), () => x, [4]);
  });

  test("slicing the batch dim needs a static batch", () => {
    const f = (x: Tensor) => getindex(x, ":", [1, 2]);
    const x = randomArray(mulberry32(1), [3, 4], "f32", "real");
    expect(() => toOnnx(f, x)).toThrow(/slice of the batch dim .* export with \{ batch: "static" \}/);
    expect(() => toOnnx(f, x, { batch: "static" })).not.toThrow();
  });
});

