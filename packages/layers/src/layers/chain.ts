/** Chain: layers and functions applied in order (Flux's `Chain`), positional or named. */
import type { Tensor } from "@tsflux/graph";
import { Layer } from "./layer";
import { callable } from "../callable";
import { applyChild, childEntries, childrenFrom, childrenString, showEntries, type ChildArgs, type Children } from "./children";
import type { LayerLike } from "./layer";
import { showChildren, showCompact, type ShowChild } from "../show/protocol";

/** The class of `Chain(...)` models. */
export class ChainLayer<L extends Children = Children> extends Layer {
  /** The layers in order: an array, or an object of named layers (`Chain({ enc, dec })`). */
  layers: L;

  constructor(...layers: ChildArgs) {
    super();
    this.layers = childrenFrom("Chain", layers) as L;
  }

  protected run(x: Tensor): Tensor {
    const layers = this.layers;
    if (!Array.isArray(layers)) return childEntries(layers).reduce((y, [key, layer]) => applyChild(key, layer, y), x);
    let y = x;
    for (let i = 0; i < layers.length; i++) y = applyChild(i, layers[i]!, y);
    return y;
  }

  override [showCompact](): string {
    return `Chain(${childrenString(this.layers)})`;
  }

  override [showChildren](): readonly ShowChild[] {
    return showEntries(this.layers);
  }
}

/**
 * `Chain(Dense(784, 32, sigmoid), Dense(32, 10), softmax)`, or with names `Chain({ enc: ..., dec: ... })`;
 * with or without `new`. Its one field, `layers`, holds the children.
 *
 * @example
 * const model = Chain(Dense(2, 3, relu), Dense(3, 1));
 * model.forward(randn32(2, 5)).shape;  // [1, 5]
 * String(model);
 * // Chain(
 * //   Dense(2 => 3, relu),                  # 9 parameters
 * //   Dense(3 => 1),                        # 4 parameters
 * // )                   # Total: 4 arrays, 13 parameters, 52 bytes.
 */
export const Chain = callable<typeof ChainLayer, {
  <L extends LayerLike[]>(...layers: L): ChainLayer<L>;
  <L extends LayerLike[]>(layers: L): ChainLayer<L>;
  <L extends Record<string, LayerLike>>(layers: L): ChainLayer<L>;
}>(ChainLayer, "Chain");
/** A Chain; `Chain<[Dense, Dense]>` when the types of its layers matter. */
export type Chain<L extends Children = Children> = ChainLayer<L>;
