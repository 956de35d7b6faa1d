/**
 * Flux 0.16's GRUCell (the v1 GRU of Cho et al.) and GRUv3Cell. Gate blocks in Flux's order: reset,
 * update, candidate. The single bias `b` sits outside the reset gate (PyTorch's `b_hn` is 0). Exact
 * σ and tanh in place of Flux's `sigmoid_fast`/`tanh_fast`.
 */
import { add, matmul, mul, sigmoid, sub, tanh, type NdArray, type Tensor, type TensorLike } from "@tsflux/graph";
import { callable } from "../callable";
import { asTensor } from "../arrays";
import { CellBase, cellWeights, gateBlock, type CellOptions } from "./cell-base";
import { showCompact } from "../show/protocol";
import { glorotUniform } from "../init";

abstract class GRUBase extends CellBase<Tensor> {
  /** [3out, in]: reset, update and candidate blocks */
  Wi: NdArray | Tensor;
  /** [3out, out] */
  Wh: NdArray | Tensor;
  /** [3out], or `false` (Flux names this field `b`) */
  b: NdArray | Tensor | false;

  constructor(what: string, inDim: number, outDim: number, opts: CellOptions) {
    super();
    [this.Wi, this.Wh, this.b] = cellWeights(what, inDim, outDim, 3, opts);
  }

  protected inputBias(): NdArray | Tensor | false {
    return this.b;
  }

  /** The candidate state h̃ from the candidate block of Wi x + b, the recurrent blocks, r and h. */
  protected abstract candidate(gx: Tensor, gh: Tensor, r: Tensor, h: Tensor): Tensor;

  // r = σ(gx₁ + gh₁), z = σ(gx₂ + gh₂), h' = (1 - z) h̃ + z h
  step(projected: Tensor, h: Tensor): [Tensor, Tensor] {
    const n = this.outDim;
    const gh = matmul(this.Wh, h);
    const r = sigmoid(add(gateBlock(projected, 0, n), gateBlock(gh, 0, n)));
    const z = sigmoid(add(gateBlock(projected, 1, n), gateBlock(gh, 1, n)));
    const candidate = this.candidate(gateBlock(projected, 2, n), gateBlock(gh, 2, n), r, h);
    const next = add(mul(sub(1, z), candidate), mul(z, h));
    return [next, next];
  }

  initialstates(): Tensor {
    return this.zeroState();
  }

  asState(state: TensorLike): Tensor {
    return asTensor(state);
  }
}

class GRUCellLayer extends GRUBase {
  constructor(inDim: number, outDim: number, opts: CellOptions = {}) {
    super("GRUCell", inDim, outDim, opts);
  }

  // h̃ = tanh(gx₃ + r ⊙ (Wh h)₃ + b₃)
  protected candidate(gx: Tensor, gh: Tensor, r: Tensor): Tensor {
    return tanh(add(gx, mul(r, gh)));
  }

  override [showCompact](): string {
    return `GRUCell(${this.dimsString()})`;
  }
}

/**
 * `GRUCell(in, out, { bias, init_kernel, init_recurrent_kernel })`; `forward(x, h?)` returns `[h', h']`.
 * Fields `Wi` [3out, in], `Wh` [3out, out], `b` [3out].
 */
export const GRUCell = callable(GRUCellLayer, "GRUCell");
export type GRUCell = GRUCellLayer;

class GRUv3CellLayer extends GRUBase {
  /** [out, out]: the candidate's recurrent weight, applied to r ⊙ h */
  "Wh_h̃": NdArray | Tensor;

  constructor(inDim: number, outDim: number, opts: CellOptions = {}) {
    super("GRUv3Cell", inDim, outDim, opts);
    this["Wh_h̃"] = (opts.init_recurrent_kernel ?? glorotUniform)(outDim, outDim);
  }

  // h̃ = tanh(gx₃ + b₃ + Wh_h̃ (r ⊙ h)); the third block of Wh h is unused, as in Flux
  protected candidate(gx: Tensor, _gh: Tensor, r: Tensor, h: Tensor): Tensor {
    return tanh(add(gx, matmul(this["Wh_h̃"], mul(r, h))));
  }

  override [showCompact](): string {
    return `GRUv3Cell(${this.dimsString()})`;
  }
}

/**
 * `GRUv3Cell(in, out, { bias, init_kernel, init_recurrent_kernel })`: as GRUCell, but the candidate is
 * tanh(Wi₃ x + b₃ + Wh_h̃ (r ⊙ h)). Fields `Wi`, `Wh`, `b`, `Wh_h̃` [out, out].
 */
export const GRUv3Cell = callable(GRUv3CellLayer, "GRUv3Cell");
export type GRUv3Cell = GRUv3CellLayer;
