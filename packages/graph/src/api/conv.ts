/**
 * Convolution and pooling (NNlib's conv, ∇conv_data, ∇conv_filter, maxpool, meanpool), WHCN column-major:
 * data `[spatial..., C, N]` with 1 to 3 spatial dims, filters `[k..., Cin/groups, Cout]`.
 */
import type { Tensor, TensorLike } from "../tensor";
import { ShapeError } from "../errors";
import { asInput, typeOf } from "./coerce";
import { convOp, convDataOp, convFilterOp } from "./conv-core";
import { maxpoolOp, meanpoolOp } from "./pool-core";
import type { ConvAttrs, PoolAttrs } from "../ops/conv-geometry";

/** A per-dim setting: one number for every spatial dim, or one per dim. */
export type PerDim = number | readonly number[];

/** Options of conv and its adjoints; `pad` is a number, one per dim (symmetric), or two per dim `[lo1, hi1, lo2, hi2, ...]`. */
export interface ConvOptions {
  stride?: PerDim;
  pad?: PerDim;
  dilation?: PerDim;
  groups?: number;
  /** True convolution (the filter flipped, NNlib's default and Flux's Conv); false is cross-correlation (CrossCor). Default true. */
  flip?: boolean;
}

/** Options of pooling: the stride defaults to the window. */
export interface PoolOptions {
  stride?: PerDim;
  pad?: PerDim;
}

/** One value per spatial dim from a number or a list of `nsp` numbers. */
export function perDim(op: string, name: string, v: PerDim, nsp: number): number[] {
  if (typeof v === "number") return new Array<number>(nsp).fill(v);
  if (v.length !== nsp) throw new ShapeError(`${op}: ${name} (${v.join(", ")}) needs ${nsp} entries for ${nsp} spatial dims`);
  return [...v];
}

/** Two values per spatial dim (`[lo1, hi1, ...]`) from a number, one per dim, or two per dim (NNlib's calc_padding). */
export function perSide(op: string, pad: PerDim, nsp: number): number[] {
  if (typeof pad === "number") return new Array<number>(2 * nsp).fill(pad);
  if (pad.length === nsp) return pad.flatMap((p) => [p, p]);
  if (pad.length === 2 * nsp) return [...pad];
  throw new ShapeError(`${op}: padding of ${pad.length} entries, should be either ${nsp} or ${2 * nsp} for ${nsp} spatial dims`);
}

/** Normalised conv attributes for `nsp` spatial dims. */
export function convAttrs(op: string, nsp: number, o: ConvOptions = {}): ConvAttrs {
  return {
    stride: perDim(op, "stride", o.stride ?? 1, nsp), pad: perSide(op, o.pad ?? 0, nsp),
    dilation: perDim(op, "dilation", o.dilation ?? 1, nsp), groups: o.groups ?? 1, flip: o.flip ?? true,
  };
}

/** Normalised pooling attributes for a window. */
export function poolAttrs(op: string, window: readonly number[], o: PoolOptions = {}): PoolAttrs {
  const nsp = window.length;
  return { window: [...window], stride: perDim(op, "stride", o.stride ?? window, nsp), pad: perSide(op, o.pad ?? 0, nsp) };
}

const spatialRank = (op: string, x: TensorLike): number => typeOf(op, asInput(op, "x", x)).shape.length - 2;

/** conv(x, w): true convolution by default (NNlib), `flip: false` for cross-correlation. */
export function conv(x: TensorLike, w: TensorLike, opts: ConvOptions = {}): Tensor {
  return convOp(asInput("conv", "x", x), asInput("conv", "w", w), convAttrs("conv", spatialRank("conv", x), opts));
}

/** ∇conv_data: the adjoint of `conv(·, w, opts)` applied to dy, for data of spatial size `spatial` (the transposed convolution). */
export function convData(dy: TensorLike, w: TensorLike, spatial: readonly number[], opts: ConvOptions = {}): Tensor {
  return convDataOp(asInput("convData", "dy", dy), asInput("convData", "w", w), { ...convAttrs("convData", spatialRank("convData", dy), opts), spatial });
}

/** ∇conv_filter: the adjoint of `conv(x, ·, opts)` applied to dy, for a filter of spatial size `kernel`. */
export function convFilter(x: TensorLike, dy: TensorLike, kernel: readonly number[], opts: ConvOptions = {}): Tensor {
  return convFilterOp(asInput("convFilter", "x", x), asInput("convFilter", "dy", dy), { ...convAttrs("convFilter", spatialRank("convFilter", x), opts), kernel });
}

/** Max pooling over windows of size `window` (stride = window unless given); padding is skipped. */
export function maxpool(x: TensorLike, window: readonly number[], opts: PoolOptions = {}): Tensor {
  return maxpoolOp(asInput("maxpool", "x", x), poolAttrs("maxpool", window, opts));
}

/** Mean pooling; padding counts as zeros (the divisor is always prod(window)). */
export function meanpool(x: TensorLike, window: readonly number[], opts: PoolOptions = {}): Tensor {
  return meanpoolOp(asInput("meanpool", "x", x), poolAttrs("meanpool", window, opts));
}
