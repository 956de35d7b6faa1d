/**
 * Shapes of N-d convolutions and pooling (NNlib's DenseConvDims and PoolDims), WHCN column-major:
 * data is `[spatial..., C, N]`, a filter `[k..., Cin/groups, Cout]`. Every spatial rule here is the
 * NNlib one: `out = floor((in + lo + hi - dilation*(k-1) - 1) / stride) + 1`.
 */
import { ShapeError } from "../errors";
import { shapeStr, type Shape } from "../shape";

/** Window geometry shared by conv and pooling: per spatial dim stride and dilation, per side padding. */
export interface WindowAttrs {
  /** One per spatial dim. */
  stride: readonly number[];
  /** Two per spatial dim: `[lo1, hi1, lo2, hi2, ...]` (dim 1 is W). */
  pad: readonly number[];
  /** One per spatial dim. */
  dilation: readonly number[];
}

/** A convolution's attributes: `flip` = true convolution (NNlib's default conv, Flux `Conv`); false = cross-correlation (`CrossCor`). */
export interface ConvAttrs extends WindowAttrs {
  groups: number;
  flip: boolean;
}

/** The data adjoint also needs the data's spatial size (the forward's floor loses it). */
export interface ConvDataAttrs extends ConvAttrs {
  spatial: readonly number[];
}

/** The filter adjoint also needs the kernel's spatial size. */
export interface ConvFilterAttrs extends ConvAttrs {
  kernel: readonly number[];
}

/** Pooling: the window, its stride and padding (no dilation in Flux's layers). */
export interface PoolAttrs {
  window: readonly number[];
  stride: readonly number[];
  pad: readonly number[];
}

/** Spatial output size of a window of `k` over `n` (NNlib's output_size). */
export function windowOutput(n: number, k: number, stride: number, lo: number, hi: number, dilation: number): number {
  return Math.floor((n + lo + hi - dilation * (k - 1) - 1) / stride) + 1;
}

/** Checks the attribute lists' lengths and values for `nsp` spatial dims. */
export function checkWindow(op: string, nsp: number, attrs: WindowAttrs): void {
  const lists: Array<[string, readonly number[], number, number]> = [
    ["stride", attrs.stride, nsp, 1], ["dilation", attrs.dilation, nsp, 1], ["pad", attrs.pad, 2 * nsp, 0],
  ];
  for (const [name, list, len, min] of lists) {
    if (list.length !== len) throw new ShapeError(`${op}: ${name} has ${list.length} entries, expected ${len} for ${nsp} spatial dims`);
    if (list.some((v) => !Number.isInteger(v) || v < min)) throw new ShapeError(`${op}: ${name} (${list.join(", ")}) must be integers >= ${min}`);
  }
}

/** Spatial output sizes, with NNlib's error when the (dilated) kernel does not fit the padded input. */
export function spatialOutput(op: string, spatial: readonly number[], kernel: readonly number[], attrs: WindowAttrs): number[] {
  return spatial.map((n, i) => {
    const lo = attrs.pad[2 * i]!, hi = attrs.pad[2 * i + 1]!, d = attrs.dilation[i]!, k = kernel[i]!;
    if ((k - 1) * d + 1 > n + lo + hi) {
      throw new ShapeError(`${op}: kernel * dilation (${k} * ${d}) exceeds the padded input (${n} + ${lo} + ${hi}) in spatial dim ${i + 1}`);
    }
    return windowOutput(n, k, attrs.stride[i]!, lo, hi, d);
  });
}

/** Output shape of a conv of data `x` with filter `w`; checks ranks, channels and groups. */
export function convShape(op: string, x: Shape, w: Shape, attrs: ConvAttrs): number[] {
  const nsp = x.length - 2;
  if (nsp < 1 || nsp > 3 || w.length !== x.length) {
    throw new ShapeError(`${op}: expected data [spatial..., C, N] with 1 to 3 spatial dims and a filter of the same rank, got x ${shapeStr(x)} and w ${shapeStr(w)}`);
  }
  checkWindow(op, nsp, attrs);
  const g = attrs.groups, cin = x[nsp]!, cinG = w[nsp]!, cout = w[nsp + 1]!;
  if (!Number.isInteger(g) || g < 1 || cout % g !== 0) throw new ShapeError(`${op}: groups = ${g} must divide the output channels ${cout} of w ${shapeStr(w)}`);
  if (cinG * g !== cin) {
    throw new ShapeError(`${op}: x ${shapeStr(x)} has ${cin} channels but w ${shapeStr(w)} expects ${cinG * g} (${cinG} per group x ${g} groups)`);
  }
  return [...spatialOutput(op, x.slice(0, nsp), w.slice(0, nsp), attrs), cout, x[nsp + 1]!];
}

/** Loop geometry of one conv, padded to three spatial dims (missing dims have size 1). */
export interface ConvGeometry {
  /** Input spatial size, kernel size, output spatial size, stride, dilation, low padding: 3 each. */
  readonly inS: number[];
  readonly k: number[];
  readonly outS: number[];
  readonly stride: number[];
  readonly dilation: number[];
  readonly lo: number[];
  readonly cin: number;
  readonly cout: number;
  readonly groups: number;
  readonly batch: number;
  readonly flip: boolean;
}

const to3 = (xs: readonly number[], fill: number): number[] => [0, 1, 2].map((i) => xs[i] ?? fill);

/** The geometry of a conv from data shape `x`, filter shape `w` and the attributes. */
export function convGeometry(x: Shape, w: Shape, attrs: ConvAttrs): ConvGeometry {
  const nsp = x.length - 2;
  const outS = spatialOutput("conv", x.slice(0, nsp), w.slice(0, nsp), attrs);
  return {
    inS: to3(x.slice(0, nsp), 1), k: to3(w.slice(0, nsp), 1), outS: to3(outS, 1),
    stride: to3(attrs.stride, 1), dilation: to3(attrs.dilation, 1), lo: to3(attrs.pad.filter((_, i) => i % 2 === 0), 0),
    cin: x[nsp]!, cout: w[nsp + 1]!, groups: attrs.groups, batch: x[nsp + 1]!, flip: attrs.flip,
  };
}

/** Prints window attributes as the IR shows them (only the ones that differ from the default). */
export function printWindow(attrs: WindowAttrs & { groups?: number; flip?: boolean }): string {
  const parts: string[] = [];
  if (attrs.stride.some((s) => s !== 1)) parts.push(`stride=(${attrs.stride.join(",")})`);
  if (attrs.pad.some((p) => p !== 0)) parts.push(`pad=(${attrs.pad.join(",")})`);
  if (attrs.dilation.some((d) => d !== 1)) parts.push(`dilation=(${attrs.dilation.join(",")})`);
  if (attrs.groups !== undefined && attrs.groups !== 1) parts.push(`groups=${attrs.groups}`);
  if (attrs.flip === false) parts.push("crosscor");
  return parts.join(",");
}
