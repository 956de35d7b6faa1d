/**
 * Pooling layers (Flux's conv.jl): MaxPool and MeanPool with a window (stride = window by default),
 * their global forms over all spatial dims, and the adaptive forms with a fixed output size, whose
 * window is `in - (out - 1) * floor(in / out)` with stride `floor(in / out)` (Flux's rule, not PyTorch's).
 */
import { ShapeError, maxpool, meanpool, type PerDim, type Tensor } from "@tsflux/graph";
import { Layer } from "./layer";
import { callable } from "../callable";
import { sizeStr } from "../arrays";
import { showCompact } from "../show/protocol";
import { calcPadding, maybeTuple, positivePerDim, sidesOf, tupleString, type Padding } from "./conv-options";

/** Options of the pooling layers: padding and stride. */
export interface PoolOptions {
  /** A number, one per spatial dim, two per dim, or SamePad(). */
  pad?: Padding;
  /** Default: the window. */
  stride?: PerDim;
}

type Pool = (x: Tensor, window: readonly number[], opts: { stride?: PerDim; pad?: PerDim }) => Tensor;

function requireSpatial(layer: string, x: Tensor, nsp?: number): number {
  const n = x.shape.length - 2;
  if (n < 1 || n > 3 || (nsp !== undefined && n !== nsp)) {
    throw new ShapeError(`${layer} expects data [spatial..., C, N] with ${nsp ?? "1 to 3"} spatial dims, got x of size ${sizeStr(x.shape)}`);
  }
  return n;
}

abstract class WindowPool extends Layer {
  k: number[];
  pad: number[];
  stride: number[];

  constructor(layer: string, k: readonly number[], opts: PoolOptions) {
    super();
    this.k = positivePerDim(layer, "window", [...k], k.length);
    this.pad = calcPadding(layer, opts.pad ?? 0, this.k, this.k.map(() => 1));
    this.stride = positivePerDim(layer, "stride", opts.stride ?? this.k, this.k.length);
  }

  protected abstract get pool(): Pool;

  protected run(x: Tensor): Tensor {
    requireSpatial(this.describe(), x, this.k.length);
    return this.pool(x, this.k, { stride: this.stride, pad: sidesOf("pool", this.pad, this.k.length) });
  }

  /** `MaxPool((5,), pad=2, stride=3)`: pad only when nonzero, stride only when not the window. */
  protected describe(): string {
    const pad = this.pad.some((p) => p !== 0) ? `, pad=${maybeTuple(this.pad)}` : "";
    const stride = this.stride.some((s, i) => s !== this.k[i]) ? `, stride=${maybeTuple(this.stride)}` : "";
    return `${this.constructor.name}(${tupleString(this.k)}${pad}${stride})`;
  }

  override [showCompact](): string {
    return this.describe();
  }
}

class MaxPoolLayer extends WindowPool {
  constructor(k: readonly number[], opts: PoolOptions = {}) {
    super("MaxPool", k, opts);
  }
  protected get pool(): Pool {
    return maxpool;
  }
}

class MeanPoolLayer extends WindowPool {
  constructor(k: readonly number[], opts: PoolOptions = {}) {
    super("MeanPool", k, opts);
  }
  protected get pool(): Pool {
    return meanpool;
  }
}

/** `MaxPool([k...], { pad, stride })`: the maximum of each window (padding is skipped). */
export const MaxPool = callable(MaxPoolLayer, "MaxPool");
export type MaxPool = MaxPoolLayer;
/** `MeanPool([k...], { pad, stride })`: the mean of each window (padding counts as zeros). */
export const MeanPool = callable(MeanPoolLayer, "MeanPool");
export type MeanPool = MeanPoolLayer;

class GlobalMaxPoolLayer extends Layer {
  protected run(x: Tensor): Tensor {
    const nsp = requireSpatial("GlobalMaxPool()", x);
    return maxpool(x, x.shape.slice(0, nsp));
  }
  override [showCompact](): string {
    return "GlobalMaxPool()";
  }
}

class GlobalMeanPoolLayer extends Layer {
  protected run(x: Tensor): Tensor {
    const nsp = requireSpatial("GlobalMeanPool()", x);
    return meanpool(x, x.shape.slice(0, nsp));
  }
  override [showCompact](): string {
    return "GlobalMeanPool()";
  }
}

/** `GlobalMaxPool()`: `[spatial..., C, N]` to `[1, ..., 1, C, N]`, the maximum over all spatial positions. */
export const GlobalMaxPool = callable(GlobalMaxPoolLayer, "GlobalMaxPool");
export type GlobalMaxPool = GlobalMaxPoolLayer;
/** `GlobalMeanPool()`: the mean over all spatial positions. */
export const GlobalMeanPool = callable(GlobalMeanPoolLayer, "GlobalMeanPool");
export type GlobalMeanPool = GlobalMeanPoolLayer;

abstract class AdaptivePool extends Layer {
  out: number[];

  constructor(layer: string, out: readonly number[]) {
    super();
    this.out = positivePerDim(layer, "output size", [...out], out.length);
  }

  protected abstract get pool(): Pool;

  protected run(x: Tensor): Tensor {
    const name = `${this.constructor.name}(${tupleString(this.out)})`;
    requireSpatial(name, x, this.out.length);
    const stride = this.out.map((o, i) => Math.floor(x.shape[i]! / o));
    if (stride.some((s) => s === 0)) throw new ShapeError(`${name}: the output size exceeds the input ${sizeStr(x.shape)}`);
    const window = this.out.map((o, i) => x.shape[i]! - (o - 1) * stride[i]!);
    return this.pool(x, window, { stride });
  }

  override [showCompact](): string {
    return `${this.constructor.name}(${tupleString(this.out)})`;
  }
}

class AdaptiveMaxPoolLayer extends AdaptivePool {
  constructor(out: readonly number[]) {
    super("AdaptiveMaxPool", out);
  }
  protected get pool(): Pool {
    return maxpool;
  }
}

class AdaptiveMeanPoolLayer extends AdaptivePool {
  constructor(out: readonly number[]) {
    super("AdaptiveMeanPool", out);
  }
  protected get pool(): Pool {
    return meanpool;
  }
}

/** `AdaptiveMaxPool([out...])`: max pooling to a fixed spatial output size. */
export const AdaptiveMaxPool = callable(AdaptiveMaxPoolLayer, "AdaptiveMaxPool");
export type AdaptiveMaxPool = AdaptiveMaxPoolLayer;
/** `AdaptiveMeanPool([out...])`: mean pooling to a fixed spatial output size. */
export const AdaptiveMeanPool = callable(AdaptiveMeanPoolLayer, "AdaptiveMeanPool");
export type AdaptiveMeanPool = AdaptiveMeanPoolLayer;
