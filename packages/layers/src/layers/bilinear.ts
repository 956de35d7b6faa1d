/**
 * Bilinear (Flux's `Bilinear`): z[k, n] = σ(Σ_{i,j} W[k, i, j] x[i, n] y[j, n] + b[k]), computed as
 * (reshape(W, out·in1, in2) y) reshaped to [out, in1, batch], then one batched product with x.
 */
import { ShapeError, Tensor, add, batchedMul, matmul, reshape, zerosArray, type NdArray, type TensorLike } from "@tsflux/graph";
import { Layer, activate } from "./layer";
import { callable } from "../callable";
import { identity, type Activation } from "../activations";
import { glorotUniform, type Initializer } from "../init";
import { checkDims } from "../random";
import { asTensor, dtypeOf, matchParamType, sizeStr } from "../arrays";
import { withLayerContext } from "../layer-context";
import { showCompact } from "../show/protocol";
import { compactString } from "../show/compact";

/** Options of `Bilinear`: bias and initialiser. */
export interface BilinearOptions {
  /** Zeros (default true) or no bias (`false`). */
  bias?: boolean;
  /** Makes the weight, called as `init(out, in1, in2)`; default `glorotUniform`. */
  init?: Initializer;
}

class BilinearLayer extends Layer {
  /** [out, in1, in2] */
  weight: NdArray | Tensor;
  /** [out], or `false` */
  bias: NdArray | Tensor | false;
  σ: Activation;

  constructor(in1: number, in2: number, out: number, activation: Activation = identity, opts: BilinearOptions = {}) {
    super();
    checkDims("Bilinear", [in1, in2, out]);
    this.weight = (opts.init ?? glorotUniform)(out, in1, in2);
    this.bias = opts.bias === false ? false : zerosArray([out], dtypeOf(this.weight)!);
    this.σ = activation;
  }

  /** `forward(x, y)`, or `forward(x)` = `forward(x, x)`; vectors give a vector. */
  override forward(x: TensorLike, y?: TensorLike): Tensor {
    return withLayerContext(this, () => this.pair(asTensor(x), y === undefined ? asTensor(x) : asTensor(y)));
  }

  protected run(x: Tensor): Tensor {
    return this.pair(x, x);
  }

  private pair(xIn: Tensor, yIn: Tensor): Tensor {
    const [out, in1, in2] = this.weight.shape as [number, number, number];
    const vector = xIn.shape.length === 1;
    if (xIn.shape[0] !== in1 || yIn.shape[0] !== in2 || xIn.shape.length > 2 || yIn.shape.length !== xIn.shape.length || xIn.shape[1] !== yIn.shape[1]) {
      throw new ShapeError(`expected x of size [${in1}, batch] and y of size [${in2}, batch], got ${sizeStr(xIn.shape)} and ${sizeStr(yIn.shape)}`);
    }
    const batch = xIn.shape[1] ?? 1;
    const x = matchParamType(xIn, this.weight), y = matchParamType(yIn, this.weight);
    // Wy[k, i, n] = Σ_j W[k, i, j] y[j, n]; z[k, n] = Σ_i Wy[k, i, n] x[i, n]
    const wy = reshape(matmul(reshape(this.weight, [out * in1, in2]), reshape(y, [in2, batch])), [out, in1, batch]);
    const z = reshape(batchedMul(wy, reshape(x, [in1, 1, batch])), [out, batch]);
    const shifted = activate(this.σ, this.bias === false ? z : add(z, this.bias));
    return vector ? reshape(shifted, [out]) : shifted;
  }

  override [showCompact](): string {
    const [out, in1, in2] = this.weight.shape;
    const ins = in1 === in2 ? `${in1}` : `(${in1}, ${in2})`;
    return `Bilinear(${ins} => ${out}${this.σ === identity ? "" : `, ${compactString(this.σ)}`}${this.bias === false ? "; bias=false" : ""})`;
  }
}

/**
 * `Bilinear(in1, in2, out, σ = identity, { bias, init })`; `forward(x, y)` with x [in1, batch] and
 * y [in2, batch] gives [out, batch]. Fields `weight` [out, in1, in2], `bias` [out], `σ`.
 */
export const Bilinear = callable(BilinearLayer, "Bilinear");
export type Bilinear = BilinearLayer;

