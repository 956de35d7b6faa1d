/** @tsflux/onnx: ONNX export of tsflux models (from their traced graphs) and import of ONNX models as tsflux layers. */
export { toOnnx, type ToOnnxOptions, type Exportable } from "./export/to-onnx";
export { saveOnnx } from "./export/save-onnx";
export { EXPORT_RULES } from "./export/rules";
export type { ExportRule, ExportContext, Attrs } from "./export/context";
export type { Dim } from "./export/dims";
export { OnnxError } from "./errors";
export { fromOnnx } from "./import/from-onnx";
export { OnnxGraph } from "./import/graph-layer";
export { IMPORT_RULES } from "./import/rules";
export type { ImportRule, Operand, NodeInfo } from "./import/context";
export { onnxExampleInput } from "./import/example-input";
