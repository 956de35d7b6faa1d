/** Shape layers (Flux's upsample.jl, MLUtils' flatten): flatten, Upsample, PixelShuffle. */
import { ShapeError, pixelShuffle, reshape, upsampleLinear, upsampleNearest, type Tensor, type TensorLike } from "@tsflux/graph";
import { Layer } from "./layer";
import { callable } from "../callable";
import { ArgumentError } from "../errors";
import { asTensor, sizeStr } from "../arrays";
import { showCompact } from "../show/protocol";
import { tupleString } from "./conv-options";

/** `[..., N]` to `[prod(...), N]`, column-major (Flux's `flatten`): usable as a layer in a Chain. */
export function flatten(x: TensorLike): Tensor {
  const t = asTensor(x);
  if (t.shape.length < 1) throw new ShapeError(`flatten: expected an array, got x of size ${sizeStr(t.shape)}`);
  return reshape(t, [-1, t.shape[t.shape.length - 1]!]);
}

/** How `Upsample` interpolates. */
export type UpsampleMode = "nearest" | "bilinear" | "trilinear";

/** Options of `Upsample`: a scale or an output size. */
export interface UpsampleOptions {
  /** Per spatial dim (nearest: integers; linear: output floor(scale * size)). */
  scale?: number | number[];
  /** The output spatial size. */
  size?: number[];
  mode?: UpsampleMode;
}

const MODES: readonly string[] = ["nearest", "bilinear", "trilinear"];

class UpsampleLayer extends Layer {
  scale: number | number[] | null;
  size: number[] | null;
  mode: UpsampleMode;

  constructor(opts: UpsampleOptions);
  constructor(mode: UpsampleMode, opts?: Omit<UpsampleOptions, "mode">);
  constructor(scale: number | number[], mode?: UpsampleMode);
  constructor(a: UpsampleOptions | UpsampleMode | number | number[], b?: Omit<UpsampleOptions, "mode"> | UpsampleMode) {
    super();
    const opts: UpsampleOptions = typeof a === "string" ? { ...(b as object), mode: a }
      : typeof a === "number" || Array.isArray(a) ? { scale: a, mode: (b as UpsampleMode | undefined) ?? "nearest" } : a;
    const mode = opts.mode ?? "nearest";
    if (!MODES.includes(mode)) throw new ArgumentError(`Upsample: mode must be one of :nearest, :bilinear, :trilinear, got ${String(mode)}`);
    if ((opts.scale === undefined) === (opts.size === undefined)) throw new ArgumentError("Upsample: give exactly one of scale and size");
    this.scale = opts.scale ?? null;
    this.size = opts.size ?? null;
    this.mode = mode;
  }

  protected run(x: Tensor): Tensor {
    const nsp = x.shape.length - 2;
    if (nsp < 1) throw new ShapeError(`${compactOf(this)} expects data [spatial..., C, N], got x of size ${sizeStr(x.shape)}`);
    if (this.mode !== "nearest") return upsampleLinear(x, this.size ? { size: this.size } : { scale: this.scale! });
    if (this.scale !== null) return upsampleNearest(x, this.scale);
    const scale = this.size!.map((s, i) => s / x.shape[i]!);
    if (scale.some((s) => !Number.isInteger(s))) throw new ShapeError(`${compactOf(this)}: the size must be a multiple of the input size, got x of size ${sizeStr(x.shape)}`);
    return upsampleNearest(x, scale);
  }

  override [showCompact](): string {
    return compactOf(this);
  }
}

function compactOf(u: UpsampleLayer): string {
  const value = u.scale !== null ? `scale = ${typeof u.scale === "number" ? u.scale : tupleString(u.scale)}` : `size = ${tupleString(u.size!)}`;
  return `Upsample(:${u.mode}, ${value})`;
}

/**
 * `Upsample({ scale | size, mode })`, `Upsample(mode, { scale | size })` or `Upsample(scale, mode?)`:
 * nearest repeats pixels; bilinear/trilinear interpolate with aligned corners, as Flux.
 */
export const Upsample = callable<typeof UpsampleLayer, {
  (opts: UpsampleOptions): UpsampleLayer;
  (mode: UpsampleMode, opts?: Omit<UpsampleOptions, "mode">): UpsampleLayer;
  (scale: number | number[], mode?: UpsampleMode): UpsampleLayer;
}>(UpsampleLayer, "Upsample");
export type Upsample = UpsampleLayer;

class PixelShuffleLayer extends Layer {
  r: number;
  constructor(r: number) {
    super();
    if (!Number.isInteger(r) || r < 1) throw new ArgumentError(`PixelShuffle: r must be a positive integer, got ${r}`);
    this.r = r;
  }
  protected run(x: Tensor): Tensor {
    return pixelShuffle(x, this.r);
  }
  override [showCompact](): string {
    return `PixelShuffle(${this.r})`;
  }
}

/** `PixelShuffle(r)`: `[W, H, r²C, N]` to `[rW, rH, C, N]` (NNlib's pixel_shuffle). */
export const PixelShuffle = callable(PixelShuffleLayer, "PixelShuffle");
export type PixelShuffle = PixelShuffleLayer;
