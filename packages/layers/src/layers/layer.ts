/**
 * The base of every layer: `forward` (Flux's `m(x)`) on a Tensor or an ndarray, errors that name the
 * layer, and Flux's printing through `String(m)` and `console.log(m)`. The base has no fields, so a
 * layer's own fields are exactly its children in the model tree.
 */
import { inspect, type InspectOptionsStylized } from "node:util";
import type { Tensor, TensorLike } from "@tsflux/graph";
import { asTensor, requireTensor } from "../arrays";
import { withLayerContext } from "../layer-context";
import { showChildren, showCompact, type ShowChild, type Showable } from "../show/protocol";
import { bigShow } from "../show/big-show";
import { compactString } from "../show/compact";
import { isPlainObject, trainableChildren } from "../tree";

/** Something a Chain can hold: a layer, or a function of a tensor (an activation such as softmax). */
export type LayerLike = { forward(x: Tensor): Tensor } | ((x: Tensor) => Tensor);

/** Applies a layer or a function to `x`. */
export function applyLayer(layer: LayerLike, x: Tensor): Tensor {
  const y = typeof layer === "function" ? layer(x) : layer.forward(x);
  return requireTensor(compactString(layer), y);
}

export abstract class Layer implements Showable {
  /** Applies the layer to `x` (concrete or symbolic). Errors name the layer and its path. */
  forward(x: TensorLike): Tensor {
    return withLayerContext(this, () => requireTensor("forward", this.run(asTensor(x))));
  }

  /** The layer's computation on a tensor. */
  protected abstract run(x: Tensor): Tensor;

  /** The one-line form, e.g. `Dense(784 => 32, σ)`. */
  abstract [showCompact](): string;

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
  [inspect.custom](depth: number | null, options: InspectOptionsStylized): string {
    if (depth !== null && options.depth !== null && depth < (options.depth ?? 2)) return compactString(this);
    return bigShow(this, options.colors ? { comment: (text) => options.stylize(text, "undefined") } : {});
  }
}
