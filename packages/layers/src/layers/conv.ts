/**
 * Conv and CrossCor (Flux's conv.jl): y = activation.(conv(x, weight) .+ bias) on WHCN data, with a
 * weight `[k..., in/groups, out]`. Conv flips the kernel (true convolution, NNlib's default); CrossCor
 * does not (PyTorch's "conv"). DepthwiseConv is a Conv with groups = in.
 */
import { ShapeError, add, conv, isFloatArray, reshape, zerosArray, type NdArray, type Tensor, type PerDim } from "@tsflux/graph";
import { Layer, activate } from "./layer";
import { identity, type Activation } from "../activations";
import { callable } from "../callable";
import { glorotUniform, type Initializer } from "../init";
import { ArgumentError } from "../errors";
import { dtypeOf, matchParamType, sizeStr } from "../arrays";
import { showCompact } from "../show/protocol";
import { compactString } from "../show/compact";
import { calcPadding, convOptionsString, positivePerDim, sidesOf, tupleString, type Padding } from "./conv-options";

/** Options of the convolution layers: stride, padding, dilation, groups, bias and initialiser. */
export interface ConvOptions {
  stride?: PerDim;
  /** A number, one per spatial dim, two per dim `[lo1, hi1, ...]`, or `SamePad()`. */
  pad?: Padding;
  dilation?: PerDim;
  /** Conv only (CrossCor has no groups). */
  groups?: number;
  /** `true` (zeros, the default), `false` (no bias), or the bias array [out]. */
  bias?: boolean | NdArray;
  /** Makes the weight, called as `init(k..., in/groups, out)`; default glorotUniform. */
  init?: Initializer;
}

/** The bias of `n` channels for a weight: zeros, none (`false`), or the given array checked. */
export function channelBias(layer: string, weight: NdArray, n: number, bias: boolean | NdArray): NdArray | false {
  if (bias === false) return false;
  if (bias === true) return zerosArray([n], dtypeOf(weight)!);
  if (bias.shape.length !== 1 || bias.shape[0] !== n) throw new ShapeError(`${layer}: expected bias of size [${n}], got size ${sizeStr(bias.shape)}`);
  return bias;
}

/** y .+ bias along the channel dim (dim N-1), then the activation. */
export function biasActivation(y: Tensor, bias: NdArray | false, activation: Activation): Tensor {
  const n = y.shape.length;
  const shifted = bias === false ? y : add(y, reshape(bias, y.shape.map((d, i) => (i === n - 2 ? d : 1))));
  return activate(activation, shifted);
}

/** The weight from `init` or as given, checked against the kernel rank. */
function makeWeight(layer: string, args: readonly unknown[], groups: number, init: Initializer): NdArray {
  const [k, inCh, outCh] = args as [number[], number, number];
  if (!Array.isArray(k) || k.length < 1 || k.length > 3) throw new ShapeError(`${layer}: the kernel size must be a list of 1 to 3 sizes, got ${String(k)}`);
  if (!Number.isInteger(inCh) || !Number.isInteger(outCh) || inCh < 1 || outCh < 1) throw new ArgumentError(`${layer}: channels must be positive integers, got ${inCh} => ${outCh}`);
  if (inCh % groups !== 0 || outCh % groups !== 0) throw new ArgumentError(`${layer}: groups = ${groups} must divide both in = ${inCh} and out = ${outCh} channels`);
  const shape = [...k, inCh / groups, outCh];
  const w = init(...shape);
  if (w.shape.join() !== shape.join()) throw new ShapeError(`${layer}: init returned an array of size ${sizeStr(w.shape)}, expected ${sizeStr(shape)}`);
  return w;
}

abstract class ConvBase extends Layer {
  /** `[k..., in/groups, out]` */
  weight: NdArray;
  /** `[out]`, or `false`. */
  bias: NdArray | false;
  activation: Activation;
  stride: number[];
  pad: number[];
  dilation: number[];
  groups: number;

  /** True convolution (Conv) or cross-correlation (CrossCor). */
  protected abstract get flip(): boolean;

  constructor(layer: string, a: number[] | NdArray, rest: unknown[]) {
    super();
    const byWeight = !Array.isArray(a);
    if (typeof a === "number") throw new ShapeError(`${layer}: the kernel size must be a list such as [3, 3], got ${a}`);
    const opts = ((byWeight ? rest[2] : rest[3]) ?? {}) as ConvOptions;
    const groups = opts.groups ?? 1;
    if (byWeight && (!isFloatArray(a) || a.shape.length < 3 || a.shape.length > 5)) {
      throw new ShapeError(`${layer}: expected a Float32 or Float64 weight [k..., in/groups, out] with 1 to 3 kernel dims, got size ${sizeStr((a as NdArray).shape ?? [])}`);
    }
    this.weight = byWeight ? a : makeWeight(layer, [a, rest[0], rest[1]], groups, opts.init ?? glorotUniform);
    const nsp = this.weight.shape.length - 2, kernel = this.weight.shape.slice(0, nsp);
    const bias = byWeight ? ((rest[0] as boolean | NdArray | undefined) ?? true) : (opts.bias ?? true);
    this.bias = channelBias(layer, this.weight, this.weight.shape[nsp + 1]!, bias);
    this.activation = ((byWeight ? rest[1] : rest[2]) as Activation | undefined) ?? identity;
    this.stride = positivePerDim(layer, "stride", opts.stride ?? 1, nsp);
    this.dilation = positivePerDim(layer, "dilation", opts.dilation ?? 1, nsp);
    this.pad = calcPadding(layer, opts.pad ?? 0, kernel, this.dilation);
    this.groups = groups;
  }

  protected run(input: Tensor): Tensor {
    const nsp = this.weight.shape.length - 2, cin = this.weight.shape[nsp]! * this.groups;
    if (input.shape.length !== nsp + 2 || input.shape[nsp] !== cin) {
      throw new ShapeError(`layer ${compactString(this)} expects size(input, ${nsp + 1}) == ${cin}, but got x of size ${sizeStr(input.shape)}`);
    }
    const x = matchParamType(input, this.weight);
    const y = conv(x, this.weight, { stride: this.stride, pad: sidesOf("conv", this.pad, nsp), dilation: this.dilation, groups: this.groups, flip: this.flip });
    return biasActivation(y, this.bias, this.activation);
  }

  /** `Conv((5, 5), 1 => 6, relu, pad=2)` */
  protected describe(name: string): string {
    const nsp = this.weight.shape.length - 2;
    const activation = this.activation === identity ? "" : `, ${compactString(this.activation)}`;
    const channels = `${this.weight.shape[nsp]! * this.groups} => ${this.weight.shape[nsp + 1]}`;
    return `${name}(${tupleString(this.weight.shape.slice(0, nsp))}, ${channels}${activation}${convOptionsString(this)})`;
  }
}

class ConvLayer extends ConvBase {
  protected get flip(): boolean {
    return true;
  }
  constructor(kernel: number[], inCh: number, outCh: number, activation?: Activation, opts?: ConvOptions);
  constructor(weight: NdArray, bias?: boolean | NdArray, activation?: Activation, opts?: Omit<ConvOptions, "bias" | "init">);
  constructor(a: number[] | NdArray, ...rest: unknown[]) {
    super("Conv", a, rest);
  }
  override [showCompact](): string {
    return this.describe("Conv");
  }
}

class CrossCorLayer extends ConvBase {
  protected get flip(): boolean {
    return false;
  }
  constructor(kernel: number[], inCh: number, outCh: number, activation?: Activation, opts?: Omit<ConvOptions, "groups">);
  constructor(weight: NdArray, bias?: boolean | NdArray, activation?: Activation, opts?: Omit<ConvOptions, "bias" | "init" | "groups">);
  constructor(a: number[] | NdArray, ...rest: unknown[]) {
    super("CrossCor", a, rest);
    if (this.groups !== 1) throw new ArgumentError("CrossCor has no groups option; use Conv");
  }
  override [showCompact](): string {
    return this.describe("CrossCor");
  }
}

/**
 * `Conv([k...], in, out, activation?, { stride, pad, dilation, groups, bias, init })` or
 * `Conv(weight, bias?, activation?, opts?)`, with or without `new`: true convolution (the kernel is
 * flipped, as NNlib's default). Fields `weight` `[k..., in/groups, out]`, `bias`, `activation`,
 * `stride`, `pad` (as given, or two per dim for SamePad), `dilation`, `groups`.
 *
 * @example
 * String(Conv([5, 5], 1, 6, relu));  // "Conv((5, 5), 1 => 6, relu)  # 156 parameters"
 */
export const Conv = callable<typeof ConvLayer, {
  (kernel: number[], inCh: number, outCh: number, activation?: Activation, opts?: ConvOptions): ConvLayer;
  (weight: NdArray, bias?: boolean | NdArray, activation?: Activation, opts?: Omit<ConvOptions, "bias" | "init">): ConvLayer;
}>(ConvLayer, "Conv");
export type Conv = ConvLayer;

/** `CrossCor([k...], in, out, activation?, opts?)`: like Conv without the kernel flip (cross-correlation) and without groups. */
export const CrossCor = callable<typeof CrossCorLayer, {
  (kernel: number[], inCh: number, outCh: number, activation?: Activation, opts?: Omit<ConvOptions, "groups">): CrossCorLayer;
  (weight: NdArray, bias?: boolean | NdArray, activation?: Activation, opts?: Omit<ConvOptions, "bias" | "init" | "groups">): CrossCorLayer;
}>(CrossCorLayer, "CrossCor");
export type CrossCor = CrossCorLayer;

/** `DepthwiseConv([k...], in, out, activation?, opts?)`: Flux's shorthand for a Conv with groups = in (it returns a Conv). */
export function DepthwiseConv(kernel: number[], inCh: number, outCh: number, activation?: Activation, opts: Omit<ConvOptions, "groups"> = {}): ConvLayer {
  return new ConvLayer(kernel, inCh, outCh, activation, { ...opts, groups: inCh });
}
