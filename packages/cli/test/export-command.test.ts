/** `tsflux export ... --onnx` and `tsflux graph model.onnx`: what they write and print, and their errors. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Tensor, wrapColMajor } from "@tsflux/graph";
import { Chain, Dense, relu, savestate } from "@tsflux/layers";
import { fromOnnx } from "@tsflux/onnx";
import { main } from "@tsflux/cli";
import { collectingIo, tempDir, tempFile } from "./helpers";

const run = (...args: string[]) => {
  const io = collectingIo();
  return main(["node", "tsflux", ...args], io).then((code) => ({ code, out: io.stdout.text, err: io.stderr.text }));
};

/** A graph script: its model is freshly initialised each time it is loaded. */
const SCRIPT = `
import { Chain, Dense, relu, randn32 } from "@tsflux/layers";
export const model = Chain(Dense(4, 3, relu), Dense(3, 2));
export const inputs = [randn32(4, 5)];
`;
const script = tempFile("mlp.ts", SCRIPT);

/** "Trained" weights for the script's architecture, saved as `tsflux train` saves them. */
const trained = Chain(
  Dense(wrapColMajor(Float32Array.from({ length: 12 }, (_, i) => Math.sin(i)), [3, 4]), wrapColMajor(Float32Array.of(0.1, -0.2, 0.3), [3]), relu),
  Dense(wrapColMajor(Float32Array.from({ length: 6 }, (_, i) => Math.cos(i)), [2, 3]), wrapColMajor(Float32Array.of(0.5, -0.5), [2])),
);
const weights = join(tempDir(), "model.safetensors");
savestate(weights, trained);
const x = wrapColMajor(Float32Array.from({ length: 12 }, (_, i) => i / 3 - 2), [4, 3]);
const forwardOf = (file: string) => (fromOnnx(readFileSync(file)) as Chain).forward(Tensor.concrete(x)).toNdarray();

test("a safetensors file with the experiment that builds its model: the ONNX file computes the trained model", async () => {
  const file = join(tempDir(), "deeper", "model.onnx");
  const { code, out, err } = await run("export", weights, "--experiment", script, "--onnx", file);
  expect(err).toBe("");
  expect(code).toBe(0);
  expect(out).toBe(`wrote ${file}: ONNX opset 17, input [batch, 4], 23 parameters from ${weights}\n`);
  expect(Array.from(forwardOf(file).data)).toEqual(Array.from(trained.forward(x).toNdarray().data));
});

test("an experiment or script with --weights, a static batch and opset 18", async () => {
  const file = join(tempDir(), "model.onnx");
  const { code, out } = await run("export", script, "--weights", weights, "--onnx", file, "--opset", "18", "--static-batch");
  expect(code).toBe(0);
  expect(out).toBe(`wrote ${file}: ONNX opset 18, input [5, 4], 23 parameters from ${weights}\n`);
  expect(Array.from(forwardOf(file).data)).toEqual(Array.from(trained.forward(x).toNdarray().data));
});

test("without weights, the model as initialised, and the output says so", async () => {
  const file = join(tempDir(), "fresh.onnx");
  const { code, out } = await run("export", script, "--onnx", file);
  expect(code).toBe(0);
  expect(out).toBe(`wrote ${file}: ONNX opset 17, input [batch, 4], 23 parameters (as initialised: pass --weights to export trained ones)\n`);
});

test("graph model.onnx prints the imported model's graph and what it was imported as", async () => {
  const file = join(tempDir(), "model.onnx");
  await run("export", weights, "--experiment", script, "--onnx", file);
  const { code, out } = await run("graph", file);
  expect(code).toBe(0);
  expect(out.split("\n")[0]).toMatch(/^# forward graph of model\.onnx, imported as Chain\(Dense\(4 => 3, relu\), Dense\(3 => 2\)\): 7 nodes, /);
  expect(out).toContain("= matmul x0.layers[0].weight@0 x1@0");
  expect(out).toContain("x1@0:f32[4,1]");
});

describe("bad paths and flags give a message and exit 1", () => {
  const notOnnx = tempFile("text.onnx", "not a model");
  test.each([
    ["graph: a missing .onnx file", ["graph", "nope.onnx"], 'error: cannot find "nope.onnx"\n'],
    ["graph: a file that is not ONNX", ["graph", notOnnx], "error: fromOnnx: the bytes are not an ONNX model ("],
    ["export: no --onnx", ["export", "mlp.ts"], "error: export: say where to write the model with --onnx <file>\n"],
    ["export: a missing experiment", ["export", "nope.ts", "--onnx", "x.onnx"], 'error: cannot find "nope.ts"\n'],
    ["export: weights without an experiment", ["export", weights, "--onnx", "x.onnx"], `error: export: "${weights}" holds weights only; name the experiment or script that builds the model with --experiment <file>\n`],
    ["export: missing weights", ["export", script, "--weights", "nope.safetensors", "--onnx", "x.onnx"], 'error: cannot find "nope.safetensors"\n'],
    ["export: an opset before 17", ["export", script, "--onnx", "x.onnx", "--opset", "13"], "error: option '--opset <n>' argument '13' is invalid. expected a whole number >= 17.\n(run with --help for usage)\n"],
  ])("%s", async (_what, args, message) => {
    const { code, err } = await run(...args);
    expect(code).toBe(1);
    expect(message.endsWith("\n") ? err : err.slice(0, message.length)).toBe(message);
  });
});

test("help: export explains itself", async () => {
  const help = await run("export", "--help");
  expect(help.code).toBe(0);
  for (const flag of ["--onnx <file>", "--experiment <file>", "--weights <file>", "--opset <n>", "--static-batch"]) expect(help.out).toContain(flag);
});
