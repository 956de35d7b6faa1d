/**
 * ConvTranspose (Flux's conv.jl): the adjoint of a Conv in its input, y = activation.(∇conv_data(x, weight) .+ bias),
 * with weight `[k..., out/groups, in]` and output size `(I-1)*stride + 1 + (K-1)*dilation - (lo+hi) + outpad`.
 */
import { ShapeError, convData, isFloatArray, perDim, type NdArray, type Tensor, type PerDim } from "@tsflux/graph";
import { Layer } from "./layer";
import { identity, type Activation } from "../activations";
import { callable } from "../callable";
import { glorotUniform } from "../init";
import { ArgumentError } from "../errors";
import { matchParamType, sizeStr } from "../arrays";
import { showCompact } from "../show/protocol";
import { compactString } from "../show/compact";
import { SamePad, calcPadding, convOptionsString, positivePerDim, sidesOf, tupleString } from "./conv-options";
import { biasActivation, channelBias, type ConvOptions } from "./conv";

/** Options of `ConvTranspose`: those of Conv and an output padding. */
export interface ConvTransposeOptions extends ConvOptions {
  /** Extra output rows on the high side of each spatial dim (less than the stride). */
  outpad?: PerDim;
}

class ConvTransposeLayer extends Layer {
  /** `[k..., out/groups, in]` */
  weight: NdArray;
  bias: NdArray | false;
  activation: Activation;
  stride: number[];
  pad: number[];
  outpad: number[];
  dilation: number[];
  groups: number;

  constructor(kernel: number[], inCh: number, outCh: number, activation?: Activation, opts?: ConvTransposeOptions);
  constructor(weight: NdArray, bias?: boolean | NdArray, activation?: Activation, opts?: Omit<ConvTransposeOptions, "bias" | "init">);
  constructor(a: number[] | NdArray, ...rest: unknown[]) {
    super();
    const byWeight = !Array.isArray(a);
    const opts = ((byWeight ? rest[2] : rest[3]) ?? {}) as ConvTransposeOptions;
    const groups = opts.groups ?? 1;
    if (byWeight) {
      if (!isFloatArray(a) || a.shape.length < 3 || a.shape.length > 5) throw new ShapeError(`ConvTranspose: expected a weight [k..., out/groups, in] with 1 to 3 kernel dims, got size ${sizeStr((a as NdArray).shape ?? [])}`);
      this.weight = a;
    } else {
      const [inCh, outCh] = rest as [number, number];
      if (inCh % groups !== 0 || outCh % groups !== 0) throw new ArgumentError(`ConvTranspose: groups = ${groups} must divide both in = ${inCh} and out = ${outCh} channels`);
      this.weight = (opts.init ?? glorotUniform)(...a, outCh / groups, inCh);
    }
    const nsp = this.weight.shape.length - 2, kernel = this.weight.shape.slice(0, nsp);
    this.bias = channelBias("ConvTranspose", this.weight, this.weight.shape[nsp]! * groups, byWeight ? ((rest[0] as boolean | NdArray | undefined) ?? true) : (opts.bias ?? true));
    this.activation = ((byWeight ? rest[1] : rest[2]) as Activation | undefined) ?? identity;
    this.stride = positivePerDim("ConvTranspose", "stride", opts.stride ?? 1, nsp);
    this.dilation = positivePerDim("ConvTranspose", "dilation", opts.dilation ?? 1, nsp);
    const pad = opts.pad ?? 0;
    // Flux: SamePad for a transposed conv is the conv padding of a kernel k - stride + 1 (output = input * stride)
    this.pad = pad instanceof SamePad ? calcPadding("ConvTranspose", pad, kernel.map((k, i) => k - this.stride[i]! + 1), this.dilation) : calcPadding("ConvTranspose", pad, kernel, this.dilation);
    const outpad = perDim("ConvTranspose", "outpad", opts.outpad ?? 0, nsp);
    if (outpad.some((p, i) => !Number.isInteger(p) || p < 0 || p >= this.stride[i]!)) {
      throw new ArgumentError(`ConvTranspose: outpad (${outpad.join(", ")}) must be integers from 0 to stride - 1 (stride ${this.stride.join(", ")})`);
    }
    this.outpad = outpad;
    this.groups = groups;
  }

  protected run(input: Tensor): Tensor {
    const nsp = this.weight.shape.length - 2, cin = this.weight.shape[nsp + 1]!;
    if (input.shape.length !== nsp + 2 || input.shape[nsp] !== cin) {
      throw new ShapeError(`layer ${compactString(this)} expects size(input, ${nsp + 1}) == ${cin}, but got x of size ${sizeStr(input.shape)}`);
    }
    const x = matchParamType(input, this.weight);
    const sides = sidesOf("ConvTranspose", this.pad, nsp);
    const spatial = x.shape.slice(0, nsp).map((n, i) =>
      (n - 1) * this.stride[i]! + 1 + (this.weight.shape[i]! - 1) * this.dilation[i]! - sides[2 * i]! - sides[2 * i + 1]! + this.outpad[i]!);
    const y = convData(x, this.weight, spatial, { stride: this.stride, pad: sides, dilation: this.dilation, groups: this.groups, flip: true });
    return biasActivation(y, this.bias, this.activation);
  }

  override [showCompact](): string {
    const nsp = this.weight.shape.length - 2;
    const activation = this.activation === identity ? "" : `, ${compactString(this.activation)}`;
    const outpad = this.outpad.some((p) => p !== 0) ? `, outpad=${tupleString(this.outpad)}` : "";
    return `ConvTranspose(${tupleString(this.weight.shape.slice(0, nsp))}, ${this.weight.shape[nsp + 1]} => ${this.weight.shape[nsp]! * this.groups}${activation}${convOptionsString(this)}${outpad})`;
  }
}

/**
 * `ConvTranspose([k...], in, out, activation?, { stride, pad, outpad, dilation, groups, bias, init })` or
 * `ConvTranspose(weight, bias?, activation?, opts?)`, with or without `new`.
 *
 * @example
 * ConvTranspose([3, 3], 2, 4, identity, { stride: 2 }).forward(x);  // [W, H, 2, N] -> [2W + 1, 2H + 1, 4, N]
 */
export const ConvTranspose = callable<typeof ConvTransposeLayer, {
  (kernel: number[], inCh: number, outCh: number, activation?: Activation, opts?: ConvTransposeOptions): ConvTransposeLayer;
  (weight: NdArray, bias?: boolean | NdArray, activation?: Activation, opts?: Omit<ConvTransposeOptions, "bias" | "init">): ConvTransposeLayer;
}>(ConvTransposeLayer, "ConvTranspose");
export type ConvTranspose = ConvTransposeLayer;
