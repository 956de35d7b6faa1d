/** Which ops of a model have no export rule yet (layers whose ONNX rules are still to be written). */
import { trace, type NdArray, type Tensor } from "@tsflux/graph";
import { EXPORT_RULES } from "@tsflux/onnx";

type Model = { forward(x: Tensor): Tensor } | ((x: Tensor) => Tensor);

/** The ops of `model`'s forward graph on `x` that have no export rule, each once. */
export function unmappedOps(model: Model, x: NdArray): string[] {
  const g = trace((m: Model, xx: Tensor) => (typeof m === "function" ? m(xx) : m.forward(xx)), model, x);
  return [...new Set(g.nodes.map((n) => n.op).filter((op) => !(op in EXPORT_RULES)))];
}
