/**
 * The two character models: an LSTM language model (Embedding → LSTM → Dense) and a small causal
 * transformer built from MultiHeadAttention (token and position embeddings, pre-norm blocks of masked
 * self-attention and an MLP, each with a residual connection). Both map x [len, batch] Int32 to
 * logits [vocab, len, batch].
 */
import { add, makeCausalMask, wrapColMajor, type Tensor } from "@tsflux/graph";
import { Chain, Dense, Embedding, LSTM, Layer, LayerNorm, MultiHeadAttention, gelu } from "@tsflux/layers";
import { VOCAB } from "./data";

/** Embedding(vocab, embed) → LSTM(embed, hidden) → Dense(hidden, vocab). */
export function lstmModel(embed: number, hidden: number): Chain {
  return Chain(Embedding(VOCAB, embed), LSTM(embed, hidden), Dense(hidden, VOCAB));
}

/** x + attention(LayerNorm(x)) with a causal mask, then x + MLP(LayerNorm(x)). */
export class TransformerBlock extends Layer {
  ln1: LayerNorm;
  attn: MultiHeadAttention;
  ln2: LayerNorm;
  mlp: Chain;

  constructor(dim: number, nheads: number) {
    super();
    this.ln1 = LayerNorm(dim);
    this.attn = MultiHeadAttention(dim, { nheads });
    this.ln2 = LayerNorm(dim);
    this.mlp = Chain(Dense(dim, 4 * dim, gelu), Dense(4 * dim, dim));
  }

  protected run(x: Tensor): Tensor {
    const [attended] = this.attn.forward(this.ln1.forward(x), { mask: makeCausalMask(x.shape[1]!) });
    const h = add(x, attended);
    return add(h, this.mlp.forward(this.ln2.forward(h)));
  }
}

/** Token plus learned position embeddings, `depth` blocks, a final LayerNorm and a Dense head. */
export class CharTransformer extends Layer {
  tok: Embedding;
  pos: Embedding;
  blocks: TransformerBlock[];
  ln: LayerNorm;
  head: Dense;

  constructor(dim: number, nheads: number, depth: number, maxLength: number) {
    super();
    this.tok = Embedding(VOCAB, dim);
    this.pos = Embedding(maxLength, dim);
    this.blocks = Array.from({ length: depth }, () => new TransformerBlock(dim, nheads));
    this.ln = LayerNorm(dim);
    this.head = Dense(dim, VOCAB);
  }

  protected run(x: Tensor): Tensor {
    const len = x.shape[0]!;
    const positions = wrapColMajor(Int32Array.from({ length: len }, (_, t) => t + 1), [len]);
    let h = add(this.tok.forward(x), this.pos.forward(positions));
    for (const block of this.blocks) h = block.forward(h);
    return this.head.forward(this.ln.forward(h));
  }
}
