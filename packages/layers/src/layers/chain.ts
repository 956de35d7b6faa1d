/** Chain: layers and functions applied in order (Flux's `Chain`), positional or named. */
import type { Tensor } from "@tsflux/graph";
import { Layer } from "./layer";
import { callable } from "../callable";
import { applyChild, childEntries, childrenFrom, childrenString, showEntries, type ChildArgs, type Children } from "./children";
import { showChildren, showCompact, type ShowChild } from "../show/protocol";

class ChainLayer extends Layer {
  /** The layers in order: an array, or an object of named layers (`Chain({ enc, dec })`). */
  layers: Children;

  constructor(...layers: ChildArgs) {
    super();
    this.layers = childrenFrom("Chain", layers);
  }

  protected run(x: Tensor): Tensor {
    return childEntries(this.layers).reduce((y, [key, layer]) => applyChild(key, layer, y), x);
  }

  [showCompact](): string {
    return `Chain(${childrenString(this.layers)})`;
  }

  override [showChildren](): readonly ShowChild[] {
    return showEntries(this.layers);
  }
}

/**
 * `Chain(Dense(784, 32, sigmoid), Dense(32, 10), softmax)`, or with names `Chain({ enc: ..., dec: ... })`;
 * with or without `new`. Its one field, `layers`, holds the children.
 */
export const Chain = callable(ChainLayer, "Chain");
export type Chain = ChainLayer;
