/** `tsflux graph model.onnx`: an ONNX file imported with fromOnnx, as a graph script on zeros of its declared input dims. */
import { existsSync, readFileSync, statSync } from "node:fs";
import { fromOnnx, onnxExampleInput } from "@tsflux/onnx";
import { compactString, type Layer } from "@tsflux/layers";
import { ScriptError } from "../errors";
import type { GraphScript } from "../graph-script";

/** The imported model and an input for it; `imported` says what it became (`Chain(Dense(4 => 3, tanh))`). */
export function onnxGraphScript(path: string): GraphScript & { imported: string } {
  if (!existsSync(path)) throw new ScriptError(`cannot find "${path}"`);
  if (!statSync(path).isFile()) throw new ScriptError(`"${path}" is not a file`);
  const bytes = readFileSync(path);
  const model = fromOnnx(bytes) as Layer;
  return { model, inputs: [onnxExampleInput(bytes)], forward: (m, x) => m.forward(x), imported: compactString(model) };
}
