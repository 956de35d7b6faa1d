/**
 * Flux's `outputsize(model, inputSize)`: the output size of a model for an input of that size, found by
 * tracing the model (nothing is computed). Size errors surface exactly as in a real call.
 */
import { traceCall, zerosArray, Tensor, type DType } from "@tsflux/graph";
import { applyLayer, type LayerLike } from "./layers/layer";
import { Chain } from "./layers/chain";
import { allArrays } from "./tree";
import { dtypeOf } from "./arrays";

/**
 * The output size of `model` (a layer, a function, or a list of them, taken as a Chain) on an input of
 * size `inputSize`; `padbatch: true` appends a batch dim of 1.
 *
 * @example
 * outputsize(lenet, [28, 28, 1, 1]);  // [10, 1]
 */
export function outputsize(model: LayerLike | readonly LayerLike[], inputSize: readonly number[], opts: { padbatch?: boolean } = {}): number[] {
  const layer: LayerLike = Array.isArray(model) ? Chain(...(model as LayerLike[])) : (model as LayerLike);
  const dtype: DType = allArrays(layer).map((a) => dtypeOf(a)).find((d) => d === "f32" || d === "f64") ?? "f32";
  const x = zerosArray(opts.padbatch ? [...inputSize, 1] : [...inputSize], dtype);
  const { trace, result } = traceCall((t: Tensor) => applyLayer(layer, t), [x]);
  trace.open = false;
  return [...(result as Tensor).shape];
}
