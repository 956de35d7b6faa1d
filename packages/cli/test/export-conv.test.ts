/** @jest-environment ./packages/onnx/test/ort-environment.cjs */
/**
 * `tsflux export` of the LeNet-5 experiment: the ONNX file takes [N, 1, 28, 28] images and computes, in
 * ONNX Runtime, what the trained model computes in tsflux.
 */
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { Tensor } from "@tsflux/graph";
import { mulberry32, randomArray } from "@tsflux/graph/testing";
import { f32, savestate } from "@tsflux/layers";
import { main } from "@tsflux/cli";
import { collectingIo, tempDir } from "./helpers";
import { lenet5 } from "../../onnx/test/lenet5";
import { randomizeParams } from "../../layers/test/params";
import { relativeError, runOrt } from "../../onnx/test/ort";

const EXPERIMENT = join(__dirname, "..", "..", "..", "examples", "mnist-conv", "lenet5.json");

test("export of examples/mnist-conv/lenet5.json with trained weights runs in ONNX Runtime at batch sizes 1 and 7", async () => {
  const trained = f32(randomizeParams(lenet5(), mulberry32(11)));
  const weights = join(tempDir(), "lenet5.safetensors");
  savestate(weights, trained);
  const file = join(tempDir(), "lenet5.onnx");
  const io = collectingIo();
  const code = await main(["node", "tsflux", "export", weights, "--experiment", EXPERIMENT, "--onnx", file], io);
  expect(io.stderr.text).toBe("");
  expect(code).toBe(0);
  expect(io.stdout.text).toBe(`wrote ${file}: ONNX opset 17, input [batch, 1, 28, 28], 44,426 parameters from ${weights}\n`);
  const bytes = readFileSync(file);
  for (const n of [1, 7]) {
    const x = randomArray(mulberry32(n), [28, 28, 1, n], "f32", "real");
    const [y] = await runOrt(bytes, x);
    expect([n, relativeError(y!, trained.forward(Tensor.concrete(x)).toNdarray()) <= 1e-5]).toEqual([n, true]);
  }
});
