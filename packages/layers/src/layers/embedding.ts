/**
 * Embedding (Flux's `Embedding`): a lookup table whose columns are the embedding vectors. 1-based Int32
 * indices of any shape give [dim, size(idx)...] by gather; a one-hot array [vocab, ...] (Bool, or the
 * Float32 of `onehotbatch`) gives weight * x; a single index gives one column.
 */
import { ShapeError, astype, gather, getindex, matmul, reshape, type NdArray, type Tensor, type TensorLike } from "@tsflux/graph";
import { Layer } from "./layer";
import { callable } from "../callable";
import { dtypeOf, sizeStr } from "../arrays";
import { withLayerContext } from "../layer-context";
import { checkDims, randn32 } from "../random";
import type { Initializer } from "../init";
import { showCompact } from "../show/protocol";

/** Options of `Embedding`: the initialiser. */
export interface EmbeddingOptions {
  /** Makes the weight, called as `init(dim, vocab)`; default `randn32` (N(0, 1), as Flux). */
  init?: Initializer;
}

class EmbeddingLayer extends Layer {
  /** [dim, vocab]: column i embeds index i. */
  weight: NdArray | Tensor;

  constructor(vocab: number, dim: number, opts: EmbeddingOptions = {}) {
    super();
    checkDims("Embedding", [vocab, dim]);
    this.weight = (opts.init ?? ((...d: number[]) => randn32(...d)))(dim, vocab);
  }

  /** Embeds indices (Int32, 1-based, any shape), a one-hot Bool array, or a single index. */
  override forward(x: TensorLike): Tensor {
    if (typeof x === "number") return withLayerContext(this, () => this.column(x));
    return super.forward(x);
  }

  private column(i: number): Tensor {
    const vocab = this.weight.shape[1]!;
    if (!Number.isInteger(i) || i < 1 || i > vocab) throw new ShapeError(`index ${i} is out of bounds for a vocabulary of ${vocab} (indices are 1-based)`);
    return getindex(this.weight, ":", i);
  }

  protected run(x: Tensor): Tensor {
    const [dim, vocab] = this.weight.shape as [number, number];
    if (x.dtype === "i32") return gather(this.weight, x);
    if (x.shape[0] !== vocab) throw new ShapeError(`expected a one-hot array of size [${vocab}, ...], got x of size ${sizeStr(x.shape)}`);
    const rest = x.shape.slice(1);
    // one-hot values are exact in any element type
    const flat = rest.length > 1 ? reshape(x, [vocab, -1]) : x;
    const hot = flat.dtype === dtypeOf(this.weight) ? flat : astype(flat, dtypeOf(this.weight)!);
    const y = matmul(this.weight, hot);
    return rest.length > 1 ? reshape(y, [dim, ...rest]) : y;
  }

  override [showCompact](): string {
    return `Embedding(${this.weight.shape[1]} => ${this.weight.shape[0]})`;
  }
}

/**
 * `Embedding(vocab, dim, { init })`: field `weight` [dim, vocab]. `forward(idx)` with 1-based Int32
 * indices of any shape gives [dim, size(idx)...]; a one-hot Bool array [vocab, n...] gives [dim, n...].
 *
 * @example
 * const e = Embedding(26, 4);
 * e.forward(wrapColMajor(new Int32Array([3, 1, 3]), [3])).shape;  // [4, 3]
 */
export const Embedding = callable(EmbeddingLayer, "Embedding");
export type Embedding = EmbeddingLayer;
