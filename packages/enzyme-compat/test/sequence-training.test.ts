/**
 * Sequence models train like any other: a warm step of an Embedding → LSTM → Dense language model
 * and of a masked self-attention model traces once and allocates no typed arrays, and a few Adam
 * steps lower the loss.
 */
import { add, logsoftmax, makeCausalMask, mul, neg, programTraceCount, allocationCount, seed, sum, wrapColMajor, type Tensor } from "@tsflux/graph";
import { Chain, Dense, Embedding, GRU, LSTM, MultiHeadAttention, Layer } from "@tsflux/layers";
import { setup, update, Adam } from "@tsflux/optim";
import { Duplicated, Const, gradient, withgradient } from "@tsflux/enzyme-compat";

/** y + attention(y) with a causal mask, then a Dense head. */
class AttentionModel extends Layer {
  emb = Embedding(6, 8);
  attn = MultiHeadAttention(8, { nheads: 2 });
  head = Dense(8, 6);

  protected run(x: Tensor): Tensor {
    const h = this.emb.forward(x);
    return this.head.forward(add(h, this.attn.forward(h, { mask: makeCausalMask(x.shape[0]!) })[0]));
  }
}

const models: [string, () => Layer][] = [
  ["Chain(Embedding, LSTM, Dense)", () => Chain(Embedding(6, 4), LSTM(4, 8), Dense(8, 6))],
  ["Chain(Embedding, GRU, Dense)", () => Chain(Embedding(6, 4), GRU(4, 8), Dense(8, 6))],
  ["causal self-attention", () => new AttentionModel()],
];

const loss = (m: Layer, x: Tensor, y: Tensor) => neg(sum(mul(y, logsoftmax(m.forward(x), { dims: 1 }))));

test.each(models)("%s: warm steps trace once, allocate nothing, and Adam lowers the loss", (_name, build) => {
  seed(5);
  const model = build();
  const dup = Duplicated(model);
  const state = setup(Adam(0.01), model);
  // next-symbol targets of 3 sequences of length 7 over 6 symbols
  const tokens = [1, 2, 3, 4, 5, 6, 1, 6, 5, 4, 3, 2, 1, 6, 2, 2, 3, 3, 4, 4, 5];
  const x = wrapColMajor(Int32Array.from(tokens), [7, 3]);
  const y = wrapColMajor(new Float32Array(6 * 7 * 3), [6, 7, 3]);
  tokens.forEach((t, k) => ((y.data as Float32Array)[(t % 6) + 6 * k] = 1));
  const first = withgradient(loss, dup, Const(x), Const(y)).val as number;
  update(state, dup);
  const traces = programTraceCount(), allocations = allocationCount();
  for (let step = 0; step < 20; step++) {
    gradient(loss, dup, Const(x), Const(y));
    update(state, dup);
  }
  expect(programTraceCount()).toBe(traces);
  expect(allocationCount()).toBe(allocations);
  expect(withgradient(loss, dup, Const(x), Const(y)).val as number).toBeLessThan(0.8 * first);
});

test("an unrolled LSTM is traced once per sequence length: lengths 5, 9, 5, 9 trace twice", () => {
  const model = Chain(Embedding(6, 3), LSTM(3, 4), Dense(4, 6));
  const dup = Duplicated(model);
  const batch = (len: number) => {
    const x = wrapColMajor(Int32Array.from({ length: len * 2 }, (_, k) => (k % 6) + 1), [len, 2]);
    const y = wrapColMajor(new Float32Array(6 * len * 2).fill(1 / 6), [6, len, 2]);
    return [Const(x), Const(y)] as const;
  };
  const traces = programTraceCount();
  for (const len of [5, 9, 5, 9]) gradient(loss, dup, ...batch(len));
  expect(programTraceCount() - traces).toBe(2);
});
