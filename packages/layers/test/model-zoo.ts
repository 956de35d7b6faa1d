/**
 * Every layer type in small configurations, each with an input size. Gradient, Float32 and second
 * order tests iterate over this list; a test checks that it holds an instance of every layer class
 * the package exports, so no layer can be left out.
 */
import { add, makeCausalMask, vcat, wrapColMajor, type NdArray, type Tensor } from "@tsflux/graph";
import {
  Chain, Dense, Dropout, LayerNorm, Parallel, Scale, SkipConnection, elu, gelu, identity, leakyrelu, logsoftmax, relu, sigmoid,
  softmax, softplus, swish, tanh, Embedding, RNN, RNNCell, LSTM, LSTMCell, GRU, GRUCell, GRUv3, GRUv3Cell, Recurrence,
  MultiHeadAttention, Bilinear, Maxout, PairwiseFusion,
} from "@tsflux/layers";
import { CONV_MODELS } from "./conv-zoo";

export interface ZooCase {
  readonly name: string;
  /** A fresh model (Float32; tests randomise and convert its parameters). */
  readonly build: () => unknown;
  /** The input size; features first, batch last. */
  readonly input: readonly number[];
  /** A fixed input in place of a random Float64 one (Int32 indices); never differentiated. */
  readonly fixedInput?: () => NdArray;
  /** How the model is applied, when its forward does not map one tensor to one tensor. */
  readonly apply?: (model: never, x: Tensor) => Tensor;
}

type Forward<T extends unknown[]> = { forward(x: Tensor, ...rest: never[]): T };
const first = (m: Forward<[Tensor, unknown]>, x: Tensor) => m.forward(x)[0];

export const TEST_MODELS: readonly ZooCase[] = [
  { name: "Dense(3 => 2, tanh), matrix input", build: () => Dense(3, 2, tanh), input: [3, 2] },
  { name: "Dense(3 => 2; bias=false), vector input", build: () => Dense(3, 2, identity, { bias: false }), input: [3] },
  { name: "Dense(3 => 2, σ), 3-d input", build: () => Dense(3, 2, sigmoid), input: [3, 2, 2] },
  { name: "Chain(Dense, Dense, softmax)", build: () => Chain(Dense(3, 4, relu), Dense(4, 2), softmax), input: [3, 2] },
  { name: "named Chain with swish and logsoftmax", build: () => Chain({ enc: Dense(3, 2, swish), dec: Dense(2, 3), out: logsoftmax }), input: [3, 2] },
  { name: "Chain inside Chain with gelu and elu", build: () => Chain(Chain(Dense(3, 3, gelu), Dense(3, 3, elu)), Dense(3, 2, softplus)), input: [3, 2] },
  { name: "Parallel(+) of two Dense", build: () => Parallel(add, Dense(3, 2), Dense(3, 2, leakyrelu)), input: [3, 2] },
  { name: "Parallel(vcat) with names", build: () => Parallel(vcat, { a: Dense(3, 2), b: Dense(3, 1, tanh) }), input: [3, 2] },
  { name: "SkipConnection(Dense, +)", build: () => SkipConnection(Dense(3, 3, tanh), add), input: [3, 2] },
  { name: "Scale(3, σ)", build: () => Scale(3, sigmoid), input: [3, 2] },
  { name: "Scale(2, 3) over two feature dims", build: () => Scale(2, 3), input: [2, 3, 2] },
  { name: "LayerNorm(3)", build: () => LayerNorm(3), input: [3, 2] },
  { name: "LayerNorm(3, tanh; affine=false)", build: () => LayerNorm(3, tanh, { affine: false }), input: [3, 2] },
  { name: "Dropout(0.5) in test mode", build: () => Dropout(0.5, { active: false }), input: [3, 2] },
  { name: "Embedding(5 => 3) on an index matrix", build: () => Embedding(5, 3), input: [2, 3], fixedInput: () => wrapColMajor(Int32Array.from([2, 5, 2, 1, 3, 5]), [2, 3]) },
  { name: "RNN(2 => 3, tanh) over [2, 3, 2]", build: () => RNN(2, 3), input: [2, 3, 2] },
  { name: "LSTM(2 => 3) over [2, 3, 2]", build: () => LSTM(2, 3), input: [2, 3, 2] },
  { name: "GRU(2 => 3) over [2, 3]", build: () => GRU(2, 3), input: [2, 3] },
  { name: "GRUv3(2 => 3) over [2, 3, 2]", build: () => GRUv3(2, 3), input: [2, 3, 2] },
  { name: "Recurrence(RNNCell(2 => 3, relu))", build: () => Recurrence(RNNCell(2, 3, relu)), input: [2, 3, 2] },
  { name: "RNNCell(2 => 3) one step", build: () => RNNCell(2, 3), input: [2, 2], apply: first },
  { name: "LSTMCell(2 => 3) one step", build: () => LSTMCell(2, 3), input: [2, 2], apply: first },
  { name: "GRUCell(2 => 3) one step", build: () => GRUCell(2, 3), input: [2], apply: first },
  { name: "GRUv3Cell(2 => 3) one step", build: () => GRUv3Cell(2, 3), input: [2, 2], apply: first },
  {
    name: "MultiHeadAttention(4; nheads=2, bias=true) with a causal mask", build: () => MultiHeadAttention(4, { nheads: 2, bias: true }), input: [4, 3, 2],
    apply: (m: MultiHeadAttention, x: Tensor) => m.forward(x, { mask: makeCausalMask(3) })[0],
  },
  { name: "Bilinear(3 => 2, tanh) of (x, x)", build: () => Bilinear(3, 3, 2, tanh), input: [3, 2] },
  { name: "Maxout of two Dense", build: () => Maxout(() => Dense(3, 2), 2), input: [3, 2] },
  { name: "PairwiseFusion(+, Dense, Dense), last output", build: () => PairwiseFusion(add, Dense(3, 3), Dense(3, 2)), input: [3, 2], apply: (m: PairwiseFusion, x: Tensor) => m.forward(x)[1]! },
  { name: "Chain(Embedding, LSTM, Dense) language model", build: () => Chain(Embedding(4, 3), LSTM(3, 2), Dense(2, 4)), input: [3, 2], fixedInput: () => wrapColMajor(Int32Array.from([1, 4, 2, 4, 3, 1]), [3, 2]) },
  { name: "Chain of every kind", build: () => Chain(Dense(3, 4), LayerNorm(4), Dropout(0.3), SkipConnection(Dense(4, 4, tanh), add), Dense(4, 2)), input: [3, 2] },
  ...CONV_MODELS,
];
