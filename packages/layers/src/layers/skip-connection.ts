/** SkipConnection: `connection(layers(x), x)`, a residual block (Flux's `SkipConnection`). */
import type { Tensor } from "@tsflux/graph";
import { Layer, callFunction, type LayerLike } from "./layer";
import { callable } from "../callable";
import { ArgumentError } from "../errors";
import { applyChild } from "./children";
import { showCompact } from "../show/protocol";
import { compactString } from "../show/compact";
import type { Connection } from "./parallel";

/** The class of `SkipConnection(...)` layers. */
export class SkipConnectionLayer extends Layer {
  /** The block the input goes through (one layer, often a Chain). */
  layers: LayerLike;
  /** Combines the block's output with the input, e.g. `add`. */
  connection: Connection;

  constructor(layers: LayerLike, connection: Connection) {
    super();
    if (typeof connection !== "function") throw new ArgumentError(`SkipConnection: the connection must be a function, got ${compactString(connection)}`);
    this.layers = layers;
    this.connection = connection;
  }

  protected run(x: Tensor): Tensor {
    const y = applyChild(".layers", this.layers, x);
    return callFunction(this.connection, y, x);
  }

  override [showCompact](): string {
    return `SkipConnection(${compactString(this.layers)}, ${compactString(this.connection)})`;
  }
}

/** `SkipConnection(layer, connection)`: `forward(x)` is `connection(layer(x), x)`. Fields: `layers`, `connection`. */
export const SkipConnection = callable(SkipConnectionLayer, "SkipConnection");
export type SkipConnection = SkipConnectionLayer;
