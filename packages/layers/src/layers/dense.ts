/** Dense: y = activation.(W x .+ b), with weight [out, in] and input [in, batch...] (Flux's `Dense`). */
import { ShapeError, add, isFloatArray, matmul, numel, reshape, longLivedZeros, type NdArray, type Tensor } from "@tsflux/graph";
import { Layer, activate } from "./layer";
import { identity, type Activation } from "../activations";
import { callable } from "../callable";
import { glorotUniform, type Initializer } from "../init";
import { checkDims } from "../random";
import { dtypeOf, matchParamType, requireLeadingSizes, sizeStr } from "../arrays";
import { showCompact } from "../show/protocol";
import { compactString } from "../show/compact";

/** Options of `Dense`: bias and initialiser. */
export interface DenseOptions {
  /** `true` (zeros, the default), `false` (no bias: the field holds `false`), or the bias array [out]. */
  bias?: boolean | NdArray;
  /** Makes the weight, called as `init(out, in)`; default `glorotUniform`. */
  init?: Initializer;
}

function makeBias(weight: NdArray, bias: boolean | NdArray): NdArray | false {
  const out = weight.shape[0]!;
  if (bias === false) return false;
  if (bias === true) return longLivedZeros([out], dtypeOf(weight)!);
  if (bias.shape.length !== 1 || bias.shape[0] !== out) {
    throw new ShapeError(`Dense: bias of size ${sizeStr(bias.shape)} does not fit weight of size ${sizeStr(weight.shape)}; expected size [${out}]`);
  }
  return bias;
}

/** The class of `Dense(...)` layers. */
export class DenseLayer extends Layer {
  /** [out, in] */
  weight: NdArray;
  /** [out], or `false` for no bias. */
  bias: NdArray | false;
  activation: Activation;

  constructor(inDim: number, outDim: number, activation?: Activation, opts?: DenseOptions);
  constructor(weight: NdArray, bias?: boolean | NdArray, activation?: Activation);
  constructor(a: number | NdArray, b?: number | boolean | NdArray, activation: Activation = identity, opts: DenseOptions = {}) {
    super();
    if (typeof a === "number") {
      const [inDim, outDim] = checkDims("Dense", [a, b]);
      this.weight = (opts.init ?? glorotUniform)(outDim!, inDim!);
      this.bias = makeBias(this.weight, opts.bias ?? true);
    } else {
      if (!isFloatArray(a) || a.shape.length !== 2) throw new ShapeError(`Dense: expected a Float32 or Float64 weight matrix [out, in], got an array of size ${sizeStr(a.shape)}`);
      this.weight = a;
      this.bias = makeBias(a, (b as boolean | NdArray | undefined) ?? true);
    }
    this.activation = activation;
  }

  protected run(input: Tensor): Tensor {
    const [outDim, inDim] = this.weight.shape as [number, number];
    requireLeadingSizes(input, [inDim]);
    const x = matchParamType(input, this.weight);
    const batchDims = x.shape.slice(1);
    // matmul takes a vector or a matrix; more dims are folded into one batch dim and unfolded after
    const flat = batchDims.length > 1 ? reshape(x, [inDim, numel(batchDims)]) : x;
    const linear = matmul(this.weight, flat);
    const shifted = this.bias === false ? linear : add(linear, this.bias);
    const y = activate(this.activation, shifted);
    return batchDims.length > 1 ? reshape(y, [outDim, ...batchDims]) : y;
  }

  override [showCompact](): string {
    const [outDim, inDim] = this.weight.shape;
    const activation = this.activation === identity ? "" : `, ${compactString(this.activation)}`;
    return `Dense(${inDim} => ${outDim}${activation}${this.bias === false ? "; bias=false" : ""})`;
  }
}

/**
 * `Dense(in, out, activation?, { bias, init })` or `Dense(weight, bias?, activation?)`, with or without
 * `new`. Fields: `weight` [out, in], `bias` [out] (or `false`), `activation`.
 *
 * @example
 * const d = Dense(wrapColMajor(new Float32Array([1, 4, 2, 5, 3, 6]), [2, 3]), true, relu);
 * d.forward(wrapColMajor(new Float32Array([1, 1, -1]), [3])).toNdarray();  // [0, 3]: relu([1 2 3; 4 5 6] x)
 * String(d);  // "Dense(3 => 2, relu)  # 8 parameters"
 */
export const Dense = callable<typeof DenseLayer, {
  (inDim: number, outDim: number, activation?: Activation, opts?: DenseOptions): DenseLayer;
  (weight: NdArray, bias?: boolean | NdArray, activation?: Activation): DenseLayer;
}>(DenseLayer, "Dense");
export type Dense = DenseLayer;
