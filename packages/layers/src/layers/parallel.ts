/** Parallel: the same input (or one input each) through several layers, combined by `connection` (Flux's `Parallel`). */
import type { Tensor, TensorLike } from "@tsflux/graph";
import { Layer, callFunction, type LayerLike } from "./layer";
import { callable } from "../callable";
import { ArgumentError } from "../errors";
import { asTensor } from "../arrays";
import { withLayerContext } from "../layer-context";
import { applyChild, childEntries, childrenFrom, childrenString, showEntries, type ChildArgs, type Children } from "./children";
import { showChildren, showCompact, type ShowChild } from "../show/protocol";
import { compactString } from "../show/compact";

/** Combines the branches' outputs: `add`, `vcat`, or any function of tensors. */
export type Connection = (...ys: Tensor[]) => Tensor;

/**
 * Calls the connection on the outputs. A two-argument function (such as `add`) is folded over more
 * outputs, as Julia's `+(a, b, c) = (a + b) + c`, and one output passes through, as `+(a) = a`.
 */
export function connect(connection: Connection, ys: readonly Tensor[]): Tensor {
  return connection.length === 2 && ys.length !== 2 ? ys.reduce((a, b) => callFunction(connection, a, b)) : callFunction(connection, ...ys);
}

/** The class of `Parallel(...)` layers. */
export class ParallelLayer<L extends Children = Children> extends Layer {
  connection: Connection;
  /** The branches: an array, or an object of named branches. */
  layers: L;

  constructor(connection: Connection, ...layers: ChildArgs) {
    super();
    if (typeof connection !== "function") throw new ArgumentError(`Parallel: the connection must be a function, got ${compactString(connection)}`);
    this.connection = connection;
    this.layers = childrenFrom("Parallel", layers) as L;
  }

  /** One input goes to every branch; n inputs go one to each of n branches. */
  override forward(...xs: TensorLike[]): Tensor {
    return withLayerContext(this, () => this.branches(xs.map(asTensor)));
  }

  protected run(x: Tensor): Tensor {
    return this.branches([x]);
  }

  private branches(xs: readonly Tensor[]): Tensor {
    const entries = childEntries(this.layers);
    if (xs.length !== 1 && xs.length !== entries.length) {
      throw new ArgumentError(`Parallel with ${entries.length} sub-layers can take one input or ${entries.length} inputs, but got ${xs.length} inputs`);
    }
    const ys = entries.map(([key, layer], i) => applyChild(key, layer, xs.length === 1 ? xs[0]! : xs[i]!));
    return connect(this.connection, ys);
  }

  override [showCompact](): string {
    return `Parallel(${compactString(this.connection)}, ${childrenString(this.layers)})`;
  }

  override [showChildren](): readonly ShowChild[] {
    return [{ value: this.connection }, ...showEntries(this.layers)];
  }
}

/**
 * `Parallel(connection, layers...)` or `Parallel(connection, { name: layer, ... })`: `forward(x)` is
 * `connection(l1(x), l2(x), ...)`, `forward(x1, x2, ...)` is `connection(l1(x1), l2(x2), ...)`.
 * Fields: `connection`, `layers`.
 */
export const Parallel = callable<typeof ParallelLayer, {
  <L extends LayerLike[]>(connection: Connection, ...layers: L): ParallelLayer<L>;
  <L extends LayerLike[]>(connection: Connection, layers: L): ParallelLayer<L>;
  <L extends Record<string, LayerLike>>(connection: Connection, layers: L): ParallelLayer<L>;
}>(ParallelLayer, "Parallel");
/** A Parallel; `Parallel<[Dense, Dense]>` when the types of its branches matter. */
export type Parallel<L extends Children = Children> = ParallelLayer<L>;
