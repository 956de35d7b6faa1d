/**
 * The MNIST demo at reduced size, as CI runs it: a few hundred digits, three epochs. It must beat
 * chance (0.1), write its three files, and reload the saved model to the same test accuracy.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { decodeSafetensors, MODEL_METADATA } from "@tsflux/layers";
import { mnistDemo, type DemoResult } from "../mnist/demo";

const outDir = mkdtempSync(join(tmpdir(), "tsflux-demo-"));
let text = "";
let result: DemoResult;

beforeAll(async () => {
  result = await mnistDemo({ train: 400, test: 200, epochs: 3, outDir, output: { write: (s: string) => (text += s) } });
});

test("prints the model, a line per epoch and the test accuracy, above chance", () => {
  expect(text).toContain("mnist-mlp: 400 training examples, 200 held out for testing; 3 epochs of 7 steps (batch 64), seed 1\n");
  expect(text).toContain("\n  Dense(784 => 512, relu),              # 401_920 parameters\n");
  expect(text).toMatch(/^epoch 3\/3 {2}loss /m);
  expect(text).toContain(`test accuracy: ${result.testAccuracy!.toFixed(3)} (200 held-out examples never used in training)\n`);
  expect(result.testAccuracy).toBeGreaterThan(0.5);
});

test("writes the model, the loss chart and the gradient graph where it says", () => {
  expect(result.files).toEqual({ model: join(outDir, "model.safetensors"), lossChart: join(outDir, "loss.svg"), graph: join(outDir, "graph.svg") });
  expect(text).toContain(`wrote ${result.files.lossChart}  (loss and accuracy curves)\n`);
  expect(readFileSync(result.files.lossChart, "utf8")).toContain("mnist-mlp: 3 epochs, test accuracy ");
  const graph = readFileSync(result.files.graph, "utf8");
  expect(graph).toContain("<svg");
  expect(graph).toContain("randomUniform"); // Dropout is active in the training step's graph
  expect(decodeSafetensors(readFileSync(result.files.model)).metadata[MODEL_METADATA]).toBe(String(result.model));
});

test("the saved model, loaded into a new one, scores exactly the same", () => {
  expect(result.reloadedAccuracy).toBe(result.testAccuracy);
  expect(text).toContain(`loaded ${result.files.model} into a new model: test accuracy ${result.testAccuracy!.toFixed(3)}, the same as the trained model\n`);
});
