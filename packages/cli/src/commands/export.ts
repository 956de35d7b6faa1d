/**
 * `tsflux export <experiment | script | model.safetensors> --onnx out.onnx`: writes a model as ONNX.
 * The architecture comes from an experiment or a graph script (its model, traced on one batch of its
 * data or on its first input); trained weights come from a safetensors file that `tsflux train` saved.
 */
import { extname } from "node:path";
import { existsSync } from "node:fs";
import { leaves, numel, type NdArray } from "@tsflux/graph";
import { loadmodel, loadstate, type Layer } from "@tsflux/layers";
import { saveOnnx } from "@tsflux/onnx";
import { ScriptError } from "../errors";
import { loadScript } from "../load-script";
import { experimentGraphScript, graphScriptOf } from "../graph-script";
import { resolveExperiment } from "../experiment/resolve";
import type { Output } from "../report/progress";
import { experimentOf, isGraphScript } from "./experiment-of";

export interface ExportCommandOptions {
  /** The ONNX file to write. */
  readonly onnx?: string;
  /** The experiment or graph script that builds the model (when the argument is a safetensors file). */
  readonly experiment?: string;
  /** Trained weights (a safetensors file) to load into the model. */
  readonly weights?: string;
  readonly opset: number;
  readonly staticBatch: boolean;
}

/** The model and an example input of an experiment or a graph script. */
async function modelOf(path: string): Promise<{ model: Layer; input: NdArray }> {
  const loaded = await loadScript(path);
  const script = isGraphScript(loaded) ? graphScriptOf(loaded.value, path) : experimentGraphScript(resolveExperiment(experimentOf(loaded, path)));
  return { model: script.model as Layer, input: script.inputs[0]! };
}

/** Writes the ONNX file and reports what it holds. */
export async function exportCommand(path: string, opts: ExportCommandOptions, stdout: Output): Promise<void> {
  if (opts.onnx === undefined) throw new ScriptError("export: say where to write the model with --onnx <file>");
  const isWeights = extname(path).toLowerCase() === ".safetensors";
  const source = isWeights ? opts.experiment : path;
  const weights = isWeights ? path : opts.weights;
  if (source === undefined) throw new ScriptError(`export: "${path}" holds weights only; name the experiment or script that builds the model with --experiment <file>`);
  if (weights !== undefined && !existsSync(weights)) throw new ScriptError(`cannot find "${weights}"`);
  const { model, input } = await modelOf(source);
  if (weights !== undefined) loadmodel(model, loadstate(weights));
  saveOnnx(opts.onnx, model, input, { opset: opts.opset, batch: opts.staticBatch ? "static" : "dynamic" });
  const features = input.shape.slice(0, -1).reverse().join(", ");
  const parameters = leaves(model, { floatOnly: true }).reduce((s, l) => s + numel(l.value.shape), 0);
  stdout.write(`wrote ${opts.onnx}: ONNX opset ${opts.opset}, input [${opts.staticBatch ? input.shape[input.shape.length - 1] : "batch"}, ${features}], ${parameters.toLocaleString("en-US")} parameters${weights ? ` from ${weights}` : " (as initialised: pass --weights to export trained ones)"}\n`);
}
