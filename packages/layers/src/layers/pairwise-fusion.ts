/**
 * PairwiseFusion (Flux's `PairwiseFusion`): a chain whose every layer also sees one input through the
 * connection. With inputs x₁…x_N: y₁ = L₁(x₁), yᵢ = Lᵢ(connection(yᵢ₋₁, xᵢ)); with one input x every
 * xᵢ is x. Returns all the yᵢ.
 */
import type { Tensor, TensorLike } from "@tsflux/graph";
import { LayerBase } from "./layer-base";
import { callFunction } from "./layer";
import { callable } from "../callable";
import { ArgumentError } from "../errors";
import { asTensor } from "../arrays";
import { withLayerContext } from "../layer-context";
import { applyChild, childEntries, childrenFrom, childrenString, showEntries, type ChildArgs, type Children } from "./children";
import type { Connection } from "./parallel";
import { showChildren, showCompact, type ShowChild } from "../show/protocol";
import { compactString } from "../show/compact";

class PairwiseFusionLayer extends LayerBase {
  connection: Connection;
  layers: Children;

  constructor(connection: Connection, ...layers: ChildArgs) {
    super();
    if (typeof connection !== "function") throw new ArgumentError(`PairwiseFusion: the connection must be a function, got ${compactString(connection)}`);
    this.connection = connection;
    this.layers = childrenFrom("PairwiseFusion", layers);
  }

  /** `forward(x)` or `forward(x₁, …, x_N)` (one input per layer): the outputs [y₁, …, y_N]. */
  forward(...inputs: TensorLike[]): Tensor[] {
    return withLayerContext(this, () => {
      const entries = childEntries(this.layers);
      if (inputs.length !== 1 && inputs.length !== entries.length) {
        throw new ArgumentError(`PairwiseFusion with ${entries.length} sub-layers can take one input or ${entries.length} inputs, but got ${inputs.length} inputs`);
      }
      const xs = inputs.map(asTensor);
      const ys: Tensor[] = [];
      entries.forEach(([key, layer], i) => {
        const x = xs.length === 1 ? xs[0]! : xs[i]!;
        ys.push(applyChild(key, layer, i === 0 ? x : callFunction(this.connection, ys[i - 1]!, x)));
      });
      return ys;
    });
  }

  override [showCompact](): string {
    return `PairwiseFusion(${compactString(this.connection)}, ${childrenString(this.layers)})`;
  }

  override [showChildren](): readonly ShowChild[] {
    return [{ value: this.connection }, ...showEntries(this.layers)];
  }
}

/** `PairwiseFusion(connection, layers...)` (or named layers). Fields `connection`, `layers`. */
export const PairwiseFusion = callable(PairwiseFusionLayer, "PairwiseFusion");
export type PairwiseFusion = PairwiseFusionLayer;
