/**
 * The base of every layer: `forward` (Flux's `m(x)`) on a Tensor or an ndarray, errors that name the
 * layer, and Flux's printing through `String(m)` and `console.log(m)`. The base has no fields, so a
 * layer's own fields are exactly its children in the model tree.
 */
import { Tensor, compiled, currentTrace, isNdarray, numel, type TensorLike } from "@tsflux/graph";
import { asTensor, requireTensor } from "../arrays";
import { inLayer } from "../layer-context";
import { compactString } from "../show/compact";
import { LayerBase } from "./layer-base";
import { identity, type Activation } from "../activations";

/** Something a Chain can hold: a layer, or a function of a tensor (an activation such as softmax). */
export type LayerLike = { forward(x: Tensor): Tensor } | ((x: Tensor) => Tensor);

/** Applies a layer or a function to `x`. */
export function applyLayer(layer: LayerLike, x: Tensor): Tensor {
  const y = typeof layer === "function" ? layer(x) : layer.forward(x);
  return y instanceof Tensor ? y : requireTensor(y, () => compactString(layer));
}

/** Calls a function a layer holds (a connection); its result must be a tensor. */
export function callFunction(f: (...xs: Tensor[]) => Tensor, ...xs: Tensor[]): Tensor {
  return requireTensor(f(...xs), () => compactString(f));
}

/** Applies a layer's activation, skipping the identity. */
export function activate(activation: Activation, y: Tensor): Tensor {
  if (activation === identity) return y;
  const a = activation(y);
  return a instanceof Tensor ? a : requireTensor(a, () => compactString(activation));
}

/** Eager inputs at least this large (elements) run through a compiled plan of the whole layer. */
const COMPILED_EAGER_ELEMENTS = 1 << 16;

/** Whether an eager call on `x` should run compiled: a concrete, large array outside any trace. */
function runsCompiled(x: TensorLike): boolean {
  if (currentTrace() !== undefined) return false;
  if (x instanceof Tensor) return !x.isSymbolic && numel(x.shape) >= COMPILED_EAGER_ELEMENTS;
  return isNdarray(x) && numel(x.shape) >= COMPILED_EAGER_ELEMENTS; // anything else gets the usual input check
}

/** A layer whose forward maps one tensor to one tensor (what a Chain holds). */
export abstract class Layer extends LayerBase {
  /**
   * Applies the layer to `x` (concrete or symbolic). Errors name the layer and its path. A large eager
   * call runs the layer as one compiled plan (found by structure, as `compiled(layer)` does: the same
   * values, on the fused and SIMD kernels); smaller ones run op by op.
   */
  forward(x: TensorLike): Tensor {
    if (runsCompiled(x)) return compiled(this as Layer)(x);
    try {
      const y = this.run(asTensor(x));
      return y instanceof Tensor ? y : requireTensor(y, () => "forward");
    } catch (error) {
      throw inLayer(error, this);
    }
  }

  /** The layer's computation on a tensor. */
  protected abstract run(x: Tensor): Tensor;
}
