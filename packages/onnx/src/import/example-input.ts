/** What a tool needs to run an ONNX file without data: an input of the dims the file declares. */
import type { NdArray } from "@tsflux/graph";
import { parseModel } from "./parse";
import { exampleInputFor } from "./graph-layer";

/** Zeros of the model's declared input dims (tsflux order, symbolic dims as 1), for tracing and printing. */
export function onnxExampleInput(bytes: Uint8Array): NdArray {
  const { input } = parseModel(bytes);
  return exampleInputFor(input.dims, input.elemType);
}
