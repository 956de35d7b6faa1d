/**
 * The base of every layer: `forward` (Flux's `m(x)`) on a Tensor or an ndarray, errors that name the
 * layer, and Flux's printing through `String(m)` and `console.log(m)`. The base has no fields, so a
 * layer's own fields are exactly its children in the model tree.
 */
import { inspectCustom, type InspectOptions, type Tensor, type TensorLike } from "@tsflux/graph";
import { asTensor, requireTensor } from "../arrays";
import { withLayerContext } from "../layer-context";
import { showChildren, showCompact, type ShowChild, type Showable } from "../show/protocol";
import { bigShow } from "../show/big-show";
import { compactString, typeName } from "../show/compact";
import { isPlainObject, trainableChildren } from "../tree";
import { identity, type Activation } from "../activations";

/** Something a Chain can hold: a layer, or a function of a tensor (an activation such as softmax). */
export type LayerLike = { forward(x: Tensor): Tensor } | ((x: Tensor) => Tensor);

/** Applies a layer or a function to `x`. */
export function applyLayer(layer: LayerLike, x: Tensor): Tensor {
  const y = typeof layer === "function" ? layer(x) : layer.forward(x);
  return requireTensor(y, () => compactString(layer));
}

/** Calls a function a layer holds (a connection); its result must be a tensor. */
export function callFunction(f: (...xs: Tensor[]) => Tensor, ...xs: Tensor[]): Tensor {
  return requireTensor(f(...xs), () => compactString(f));
}

/** Applies a layer's activation, skipping the identity. */
export function activate(activation: Activation, y: Tensor): Tensor {
  return activation === identity ? y : callFunction(activation, y);
}

export abstract class Layer implements Showable {
  /** Applies the layer to `x` (concrete or symbolic). Errors name the layer and its path. */
  forward(x: TensorLike): Tensor {
    return withLayerContext(this, () => requireTensor(this.run(asTensor(x)), () => "forward"));
  }

  /** The layer's computation on a tensor. */
  protected abstract run(x: Tensor): Tensor;

  /** The one-line form, e.g. `Dense(784 => 32, σ)`; by default the class name and the fields, as Julia shows a struct. */
  [showCompact](): string {
    return `${typeName(this)}(${Object.values(this).map(compactString).join(", ")})`;
  }

  /** Children in the multi-line form: the trainable fields, with arrays and plain objects flattened (Flux's `_flat_children`). */
  [showChildren](): readonly ShowChild[] | null {
    return trainableChildren(this).flatMap(([, value]) =>
      Array.isArray(value) ? value.map((v) => ({ value: v })) : isPlainObject(value) ? Object.values(value).map((v) => ({ value: v })) : [{ value }],
    );
  }

  /** Flux's REPL form (multi-line for containers). */
  toString(): string {
    return bigShow(this);
  }

  /** console.log and the REPL: the multi-line form at top level, the one-line form inside other values. */
  [inspectCustom](depth: number | null, options: InspectOptions): string {
    if (depth !== null && options.depth !== null && depth < (options.depth ?? 2)) return compactString(this);
    return bigShow(this, options.colors ? { comment: (text) => options.stylize(text, "undefined") } : {});
  }
}
