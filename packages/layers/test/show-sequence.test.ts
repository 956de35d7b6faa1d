/**
 * The sequence layers print as Flux 0.16 prints them: cells and wrappers on one line (wrappers and
 * MultiHeadAttention are `@layer :noexpand`), Recurrence, Maxout and PairwiseFusion expanded.
 */
import { add } from "@tsflux/graph";
import {
  Bilinear, Chain, Dense, Embedding, GRU, GRUCell, GRUv3, GRUv3Cell, LSTM, LSTMCell, Maxout, MultiHeadAttention, PairwiseFusion, RNN,
  RNNCell, Recurrence, compactString, tanh, relu,
} from "@tsflux/layers";

test.each([
  [RNN(4, 6), "RNN(4 => 6, tanh)   # 66 parameters"],
  [RNN(4, 6, relu), "RNN(4 => 6, relu)   # 66 parameters"],
  [RNNCell(2, 3), "RNNCell(2 => 3, tanh)  # 18 parameters"],
  [LSTMCell(3, 5), "LSTMCell(3 => 5)    # 180 parameters"],
  [LSTM(3, 5), "LSTM(3 => 5)        # 180 parameters"],
  [GRUCell(3, 5), "GRUCell(3 => 5)     # 135 parameters"],
  [GRU(3, 5), "GRU(3 => 5)         # 135 parameters"],
  [GRUv3Cell(3, 5), "GRUv3Cell(3 => 5)   # 160 parameters"],
  [GRUv3(3, 5), "GRUv3(3 => 5)       # 160 parameters"],
  [Embedding(26, 4), "Embedding(26 => 4)  # 104 parameters"],
  [MultiHeadAttention(64), "MultiHeadAttention(64; nheads=8)  # 16_384 parameters"],
  [MultiHeadAttention(64, { nheads: 4, bias: true, dropout_prob: 0.1 }), "MultiHeadAttention(64; nheads=4, bias=true, dropout_prob=0.1)  # 16_640 parameters"],
  [Bilinear(5, 5, 7), "Bilinear(5 => 7)    # 182 parameters"],
  [Bilinear(5, 6, 7, tanh, { bias: false }), "Bilinear((5, 6) => 7, tanh; bias=false)  # 210 parameters"],
])("%s", (layer, expected) => {
  expect(String(layer)).toBe(expected);
});

test("Recurrence, Maxout and PairwiseFusion print expanded, the connection first", () => {
  expect(String(Recurrence(RNNCell(2, 3)))).toBe(["Recurrence(", "  RNNCell(2 => 3, tanh),                # 18 parameters", ")                   # Total: 3 arrays, 18 parameters, 72 bytes."].join("\n"));
  expect(String(Maxout(() => Dense(5, 7, tanh), 3))).toBe([
    "Maxout(",
    "  Dense(5 => 7, tanh),                  # 42 parameters",
    "  Dense(5 => 7, tanh),                  # 42 parameters",
    "  Dense(5 => 7, tanh),                  # 42 parameters",
    ")                   # Total: 6 arrays, 126 parameters, 504 bytes.",
  ].join("\n"));
  expect(String(PairwiseFusion(add, Dense(2, 2), Dense(2, 2)))).toBe([
    "PairwiseFusion(",
    "  +,",
    "  Dense(2 => 2),                        # 6 parameters",
    "  Dense(2 => 2),                        # 6 parameters",
    ")                   # Total: 4 arrays, 12 parameters, 48 bytes.",
  ].join("\n"));
});

test("inside a Chain the wrappers and MultiHeadAttention stay on one line", () => {
  // printed only: MultiHeadAttention returns a tuple, so this Chain could not run
  expect(String(Chain(Embedding(26, 4), LSTM(4, 8), MultiHeadAttention(8, { nheads: 2 }) as never, Dense(8, 26)))).toBe([
    "Chain(",
    "  Embedding(26 => 4),                   # 104 parameters",
    "  LSTM(4 => 8),                         # 416 parameters",
    "  MultiHeadAttention(8; nheads=2),      # 256 parameters",
    "  Dense(8 => 26),                       # 234 parameters",
    ")                   # Total: 10 arrays, 1_010 parameters, 3.945 KiB.",
  ].join("\n"));
  expect(compactString(Chain(GRU(2, 3), Recurrence(GRUCell(3, 3))))).toBe("Chain(GRU(2 => 3), Recurrence(GRUCell(3 => 3)))");
});
