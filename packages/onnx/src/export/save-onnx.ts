/** Saving an exported model to a file (Node; the browser build refuses, see save-onnx.browser.ts). */
import type { NdArray } from "@tsflux/graph";
import { writeFileAtomic } from "@tsflux/layers";
import { toOnnx, type Exportable, type ToOnnxOptions } from "./to-onnx";

/** Writes `toOnnx(model, exampleInput, opts)` to `path` (through a temporary file, so a reader never sees half a model). */
export function saveOnnx(path: string, model: Exportable, exampleInput: NdArray | readonly NdArray[], opts: ToOnnxOptions = {}): void {
  writeFileAtomic(path, toOnnx(model, exampleInput, opts));
}
