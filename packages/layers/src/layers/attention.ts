/**
 * MultiHeadAttention (Flux's `MultiHeadAttention`, NNlib's `dot_product_attention`): projections of
 * queries, keys and values, split into heads of contiguous features; per head the weights are the
 * softmax over keys of kᵀ(q/√dh) (after an optional additive bias, then the Bool mask: false → -Inf),
 * then dropout; the heads' weighted values are joined and projected out.
 */
import { ShapeError, applyMask, add, batchedMul, div, isNdarray, permutedims, reshape, softmax, Tensor, type TensorLike } from "@tsflux/graph";
import { LayerBase } from "./layer-base";
import { Dense } from "./dense";
import { Dropout } from "./dropout";
import { callable } from "../callable";
import { ArgumentError } from "../errors";
import { asTensor, sizeStr } from "../arrays";
import { withChildPath, withLayerContext } from "../layer-context";
import { identity } from "../activations";
import type { Initializer } from "../init";
import { showChildren, showCompact } from "../show/protocol";
import { juliaNumber } from "../show/format";

/** Options of `MultiHeadAttention`: heads, biases, attention dropout and initialiser. */
export interface MultiHeadAttentionOptions {
  /** Number of heads (default 8); must divide the dimension. */
  nheads?: number;
  /** Biases in the four projections (default false, as Flux). */
  bias?: boolean;
  /** Dropout probability on the attention weights (default 0). */
  dropout_prob?: number;
  /** Makes the projection weights (default glorotUniform). */
  init?: Initializer;
}

/**
 * Sizes other than one dimension d everywhere (Flux's `in => qk => out`, `in => (qk, v) => out` and
 * `(q_in, k_in, v_in) => (qk, v) => out`): input sizes, query/key size, value size, output size.
 */
export interface AttentionDims {
  in: number | readonly [number, number, number];
  qk: number;
  /** Default: qk. */
  v?: number;
  out: number;
}

/** Options of a `MultiHeadAttention` call: a mask and a bias of the attention scores. */
export interface AttentionCallOptions {
  /** Bool, true = attend; broadcasts against the scores [klen, qlen, nheads, batch], e.g. `makeCausalMask(len)`. */
  mask?: TensorLike;
  /** Added to the logits before the mask; broadcasts against [klen, qlen, nheads, batch]. */
  bias?: TensorLike;
}

const isCallOptions = (x: unknown): x is AttentionCallOptions => typeof x === "object" && x !== null && !(x instanceof Tensor) && !isNdarray(x);

class MultiHeadAttentionLayer extends LayerBase {
  nheads: number;
  q_proj: Dense;
  k_proj: Dense;
  v_proj: Dense;
  attn_drop: Dropout;
  out_proj: Dense;

  constructor(dims: number | AttentionDims, opts: MultiHeadAttentionOptions = {}) {
    super();
    const nheads = opts.nheads ?? 8;
    const d = typeof dims === "number" ? { in: dims, qk: dims, out: dims } : dims;
    const [qIn, kIn, vIn] = typeof d.in === "number" ? [d.in, d.in, d.in] : d.in;
    const qk = d.qk, v = d.v ?? d.qk;
    for (const n of [qIn, kIn, vIn, qk, v, d.out]) {
      if (!Number.isInteger(n) || n < 1) throw new ArgumentError(`MultiHeadAttention: sizes must be positive integers, got ${JSON.stringify(dims)}`);
    }
    if (!Number.isInteger(nheads) || nheads < 1 || qk % nheads !== 0 || v % nheads !== 0) {
      throw new ArgumentError(`MultiHeadAttention: the dimension ${qk === v ? qk : `(${qk}, ${v})`} must be divisible by nheads = ${nheads}`);
    }
    const dense = (from: number, to: number) => Dense(from, to, identity, { bias: opts.bias ?? false, ...(opts.init ? { init: opts.init } : {}) });
    this.nheads = nheads;
    this.q_proj = dense(qIn, qk);
    this.k_proj = dense(kIn, qk);
    this.v_proj = dense(vIn, v);
    this.attn_drop = Dropout(opts.dropout_prob ?? 0);
    this.out_proj = dense(v, d.out);
  }

  /**
   * `[y, scores]` from queries [q_in, qlen, batch], keys [k_in, klen, batch] and values [v_in, klen,
   * batch] (k defaults to q, v to k; 2-d inputs are one batch): y [out, qlen, batch], scores [klen, qlen,
   * nheads, batch].
   */
  forward(q: TensorLike, ...rest: (TensorLike | AttentionCallOptions)[]): [Tensor, Tensor] {
    const opts = rest.length > 0 && isCallOptions(rest[rest.length - 1]) ? (rest.pop() as AttentionCallOptions) : {};
    const [k = q, v = k] = rest as TensorLike[];
    return withLayerContext(this, () => this.attend(asTensor(q), asTensor(k), asTensor(v), opts));
  }

  private attend(q: Tensor, k: Tensor, v: Tensor, opts: AttentionCallOptions): [Tensor, Tensor] {
    const rank = q.shape.length;
    if (rank < 2 || rank > 3 || k.shape.length !== rank || v.shape.length !== rank) {
      throw new ShapeError(`expected q, k and v of size [dim, len, batch] (or [dim, len]), got ${sizeStr(q.shape)}, ${sizeStr(k.shape)} and ${sizeStr(v.shape)}`);
    }
    if (k.shape[1] !== v.shape[1] || (rank === 3 && (k.shape[2] !== q.shape[2] || v.shape[2] !== q.shape[2]))) {
      throw new ShapeError(`keys and values must have the same length and all three the same batch size, got q ${sizeStr(q.shape)}, k ${sizeStr(k.shape)}, v ${sizeStr(v.shape)}`);
    }
    const [qlen, klen, batch] = [q.shape[1]!, k.shape[1]!, q.shape[2] ?? 1];
    const h = this.nheads;
    const project = (key: "q_proj" | "k_proj" | "v_proj", x: Tensor) => withChildPath(`.${key}`, this[key], () => this[key].forward(x));
    const qp = project("q_proj", q), kp = project("k_proj", k), vp = project("v_proj", v);
    const dh = qp.shape[0]! / h;
    // [d, len, batch] → heads of contiguous features → [d/h, len, h·batch]
    const split = (x: Tensor, len: number) => reshape(permutedims(reshape(x, [x.shape[0]! / h, h, len, batch]), [1, 3, 2, 4]), [x.shape[0]! / h, len, h * batch]);
    // logits[kj, qi] = Σ_d k[d, kj] q[d, qi] / √dh, per head and batch
    let logits = reshape(batchedMul(split(kp, klen), div(split(qp, qlen), Math.sqrt(dh)), { transA: true }), [klen, qlen, h, batch]);
    if (opts.bias !== undefined) logits = add(logits, opts.bias);
    if (opts.mask !== undefined) logits = applyMask(logits, opts.mask);
    const weights = withChildPath(".attn_drop", this.attn_drop, () => this.attn_drop.forward(softmax(logits, { dims: 1 })));
    const heads = batchedMul(split(vp, klen), reshape(weights, [klen, qlen, h * batch]));
    const joined = reshape(permutedims(reshape(heads, [heads.shape[0]!, qlen, h, batch]), [1, 3, 2, 4]), [vp.shape[0]!, qlen, batch]);
    const y = withChildPath(".out_proj", this.out_proj, () => this.out_proj.forward(joined));
    return rank === 2 ? [reshape(y, [y.shape[0]!, qlen]), reshape(weights, [klen, qlen, h])] : [y, weights];
  }

  override [showCompact](): string {
    const bias = this.q_proj.bias === false ? "" : ", bias=true";
    const p = this.attn_drop.p === 0 ? "" : `, dropout_prob=${juliaNumber(this.attn_drop.p)}`;
    const [qk, qIn] = this.q_proj.weight.shape as [number, number], kIn = this.k_proj.weight.shape[1]!;
    const [v, vIn] = this.v_proj.weight.shape as [number, number], out = this.out_proj.weight.shape[0]!;
    const sameIn = qIn === kIn && kIn === vIn;
    const sizes = sameIn && qIn === qk && qk === v && v === out ? `${qIn}`
      : sameIn && qk === v ? `${qIn} => ${qk} => ${out}`
      : sameIn ? `${qIn} => (${qk}, ${v}) => ${out}`
      : `(${qIn}, ${kIn}, ${vIn}) => (${qk}, ${v}) => ${out}`;
    return `MultiHeadAttention(${sizes}; nheads=${this.nheads}${bias}${p})`;
  }

  /** Always one line (Flux's `@layer :noexpand`). */
  override [showChildren](): null {
    return null;
  }
}

/**
 * `MultiHeadAttention(dim, { nheads = 8, bias = false, dropout_prob = 0, init })`, or with
 * `{ in, qk, v, out }` sizes in place of dim (Flux's `in => (qk, v) => out` forms); `forward(q, k = q,
 * v = k, { mask, bias })` returns `[y, scores]`. Fields `nheads`, `q_proj`, `k_proj`, `v_proj`,
 * `attn_drop`, `out_proj`.
 *
 * @example
 * const mha = MultiHeadAttention(16, { nheads: 4 });
 * const [y, scores] = mha.forward(x, { mask: makeCausalMask(len) });  // x [16, len, batch]
 */
export const MultiHeadAttention = callable(MultiHeadAttentionLayer, "MultiHeadAttention");
export type MultiHeadAttention = MultiHeadAttentionLayer;
