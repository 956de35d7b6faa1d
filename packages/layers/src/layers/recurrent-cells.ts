/**
 * Flux 0.16's RNNCell and LSTMCell. A call returns `[output, newState]`; gate blocks are rows of Wi, Wh
 * and bias in Flux's order (LSTM: input, forget, cell, output). Flux evaluates the gates with
 * `sigmoid_fast`/`tanh_fast`; tsflux uses the exact σ and tanh (they differ by a few Float32 ulp).
 */
import { add, matmul, mul, sigmoid, tanh, type NdArray, type Tensor, type TensorLike } from "@tsflux/graph";
import { activate } from "./layer";
import { callable } from "../callable";
import { asTensor } from "../arrays";
import { CellBase, cellWeights, gateBlock, type CellOptions } from "./cell-base";
import { showCompact } from "../show/protocol";
import { compactString } from "../show/compact";
import type { Activation } from "../activations";

class RNNCellLayer extends CellBase<Tensor> {
  σ: Activation;
  /** [out, in] */
  Wi: NdArray | Tensor;
  /** [out, out] */
  Wh: NdArray | Tensor;
  /** [out], or `false` */
  bias: NdArray | Tensor | false;

  constructor(inDim: number, outDim: number, activation: Activation = tanh, opts: CellOptions = {}) {
    super();
    this.σ = activation;
    [this.Wi, this.Wh, this.bias] = cellWeights("RNNCell", inDim, outDim, 1, opts);
  }

  protected inputBias(): NdArray | Tensor | false {
    return this.bias;
  }

  // h' = σ(Wi x + Wh h + b)
  step(projected: Tensor, h: Tensor): [Tensor, Tensor] {
    const next = activate(this.σ, add(projected, matmul(this.Wh, h)));
    return [next, next];
  }

  initialstates(): Tensor {
    return this.zeroState();
  }

  asState(state: TensorLike): Tensor {
    return asTensor(state);
  }

  override [showCompact](): string {
    return `RNNCell(${this.dimsString()}, ${compactString(this.σ)})`;
  }
}

/**
 * `RNNCell(in, out, σ = tanh, { bias, init_kernel, init_recurrent_kernel })`: h' = σ(Wi x .+ Wh h .+ bias);
 * `forward(x, h?)` returns `[h', h']`. Fields `σ`, `Wi` [out, in], `Wh` [out, out], `bias` [out].
 */
export const RNNCell = callable(RNNCellLayer, "RNNCell");
export type RNNCell = RNNCellLayer;

type LSTMState = [Tensor, Tensor];

class LSTMCellLayer extends CellBase<LSTMState> {
  /** [4out, in]: input, forget, cell and output gate blocks */
  Wi: NdArray | Tensor;
  /** [4out, out] */
  Wh: NdArray | Tensor;
  /** [4out], or `false` */
  bias: NdArray | Tensor | false;

  constructor(inDim: number, outDim: number, opts: CellOptions = {}) {
    super();
    [this.Wi, this.Wh, this.bias] = cellWeights("LSTMCell", inDim, outDim, 4, opts);
  }

  protected inputBias(): NdArray | Tensor | false {
    return this.bias;
  }

  // g = Wi x + Wh h + b; c' = σ(f) c + σ(i) tanh(c̃); h' = σ(o) tanh(c')
  step(projected: Tensor, [h, c]: LSTMState): [Tensor, LSTMState] {
    const n = this.outDim;
    const g = add(projected, matmul(this.Wh, h));
    const [i, f, cell, o] = [0, 1, 2, 3].map((k) => gateBlock(g, k, n)) as [Tensor, Tensor, Tensor, Tensor];
    const c2 = add(mul(sigmoid(f), c), mul(sigmoid(i), tanh(cell)));
    const h2 = mul(sigmoid(o), tanh(c2));
    return [h2, [h2, c2]];
  }

  initialstates(): LSTMState {
    return [this.zeroState(), this.zeroState()];
  }

  asState([h, c]: readonly [TensorLike, TensorLike]): LSTMState {
    return [asTensor(h), asTensor(c)];
  }

  override [showCompact](): string {
    return `LSTMCell(${this.dimsString()})`;
  }
}

/**
 * `LSTMCell(in, out, { bias, init_kernel, init_recurrent_kernel })`; `forward(x, [h, c]?)` returns
 * `[h', [h', c']]`. Fields `Wi` [4out, in], `Wh` [4out, out], `bias` [4out], gates in the order
 * input, forget, cell, output.
 */
export const LSTMCell = callable(LSTMCellLayer, "LSTMCell");
export type LSTMCell = LSTMCellLayer;
