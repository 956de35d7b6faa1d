/**
 * The LeNet-5 demo at reduced size: 640 digits, three epochs. It must beat chance, write its
 * files and reload to the same accuracy; the JSON experiment builds the same model.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fromJson } from "@tsflux/cli";
import { mnistDemo, type DemoResult } from "../mnist/demo";
import { lenetExperiment, lenet5 } from "../mnist-conv/experiment";

const outDir = mkdtempSync(join(tmpdir(), "tsflux-conv-demo-"));
let text = "";
let result: DemoResult;

beforeAll(async () => {
  result = await mnistDemo({
    experiment: lenetExperiment, fullSize: { train: 640, test: 100, epochs: 3 }, outDir, output: { write: (s: string) => (text += s) },
  });
});

test("trains LeNet-5 on WHCN images, above chance, and reloads to the same accuracy", () => {
  expect(text).toContain("mnist-lenet5: 640 training examples, 100 held out for testing; 3 epochs of 5 steps (batch 128), seed 1\n");
  expect(text).toContain("\n  Conv((5, 5), 1 => 6, relu),           # 156 parameters\n");
  expect(result.testAccuracy).toBeGreaterThan(0.3);
  expect(result.reloadedAccuracy).toBe(result.testAccuracy);
  expect(readFileSync(result.files.lossChart, "utf8")).toContain("mnist-lenet5: 3 epochs, test accuracy ");
});

test("the JSON experiment file builds the same LeNet-5", () => {
  const spec = JSON.parse(readFileSync(join(__dirname, "..", "mnist-conv", "lenet5.json"), "utf8"));
  const experiment = fromJson(spec, "lenet5.json");
  expect(String((experiment.model as () => unknown)())).toBe(String(lenet5()));
  expect(experiment.batchsize).toBe(128);
});
