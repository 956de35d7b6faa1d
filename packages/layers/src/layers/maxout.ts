/** Maxout (Flux's `Maxout`): the elementwise maximum of several layers' outputs on the same input. */
import { max, type Tensor } from "@tsflux/graph";
import { Layer, type LayerLike } from "./layer";
import { callable } from "../callable";
import { ArgumentError } from "../errors";
import { applyChild, childEntries, childrenFrom, childrenString } from "./children";
import { showCompact } from "../show/protocol";

class MaxoutLayer extends Layer {
  layers: LayerLike[];

  constructor(...args: LayerLike[] | [() => LayerLike, number]) {
    super();
    const [f, n] = args;
    const built = typeof n === "number" && typeof f === "function" && f.length === 0 ? Array.from({ length: n }, () => (f as () => LayerLike)()) : args;
    if (built.length === 0) throw new ArgumentError("Maxout: needs at least one layer");
    this.layers = childrenFrom("Maxout", built) as LayerLike[];
  }

  // y = max.(l₁(x), l₂(x), ...), folded left
  protected run(x: Tensor): Tensor {
    return childEntries(this.layers).map(([key, layer]) => applyChild(key, layer, x)).reduce((acc, y) => max(acc, y));
  }

  override [showCompact](): string {
    return `Maxout(${childrenString(this.layers)})`;
  }
}

/**
 * `Maxout(layers...)`, or `Maxout(() => layer, n)` which builds n layers: `forward(x)` is the
 * elementwise maximum of the layers' outputs. Field `layers`.
 *
 * @example
 * Maxout(() => Dense(5, 7, tanh), 3);  // prints expanded, three Dense(5 => 7, tanh)
 */
export const Maxout = callable(MaxoutLayer, "Maxout");
export type Maxout = MaxoutLayer;
