/**
 * Models written with graph ops rather than layers, so every op with an ONNX counterpart is exported at
 * least once: elementwise math, comparisons and `where`, reductions, softmax over one and several dims,
 * reshape/permutedims/broadcast, slicing, concatenation, matmul with transpose flags, dtype conversion.
 */
import {
  abs, abs2, add, astype, broadcastTo, concat, div, equal, exp, expm1, getindex, greaterEqual, less, lessEqual, log, log1p,
  logsoftmax, logsumexp, matmul, max, maximum, mean, min, minimum, mul, neg, notEqual, permutedims, pow, relu, reshape, sigmoid,
  sign, softmax, softplus, sqrt, stopGradient, sub, sum, tanh, where, wrapColMajor, type Tensor, copy, hardswish,
} from "@tsflux/graph";

export interface OpModel {
  readonly name: string;
  readonly f: (x: Tensor) => Tensor;
  /** Feature dims of the input; the batch dim is appended. */
  readonly features: readonly number[];
}

/** A fixed matrix the models capture (it becomes an initializer). */
const W = wrapColMajor(Float32Array.from({ length: 12 }, (_, i) => Math.sin(i + 1)), [4, 3]);
const V = wrapColMajor(Float32Array.from({ length: 8 }, (_, i) => Math.cos(i + 1)), [2, 4]);

export const OP_MODELS: readonly OpModel[] = [
  { name: "unary math", features: [4], f: (x) => add(add(neg(abs(x)), mul(sign(x), sqrt(abs(x)))), add(exp(tanh(x)), log(add(abs2(x), 1)))) },
  { name: "expm1, log1p, softplus, sigmoid, relu", features: [4], f: (x) => add(add(expm1(tanh(x)), log1p(abs(x))), add(softplus(x), mul(sigmoid(x), relu(x)))) },
  { name: "hardswish over all three pieces", features: [4], f: (x) => hardswish(mul(x, 3)) },
  { name: "binary: div, pow, max, min", features: [4], f: (x) => add(div(x, add(abs(x), 1)), add(pow(abs(x), 1.5), sub(max(x, 0.2), min(x, -0.3)))) },
  { name: "comparisons and where", features: [4], f: (x) => add(add(where(less(x, 0), x, mul(x, 2)), where(lessEqual(x, 0.1), neg(x), x)), add(where(greaterEqual(x, 0.5), exp(x), x), add(where(equal(x, x), x, neg(x)), where(notEqual(x, x), neg(x), x)))) },
  { name: "sum and mean over features, maximum and minimum", features: [4, 3], f: (x) => add(add(sum(x, { dims: 1 }), mean(x, { dims: 2 })), add(maximum(x, { dims: [1, 2] }), minimum(x, { dims: 1 }))) },
  { name: "full reductions", features: [4], f: (x) => add(mul(x, sum(x)), maximum(x)) },
  { name: "logsumexp", features: [4, 3], f: (x) => logsumexp(x, { dims: 2 }) },
  { name: "softmax over dims 1 and 2 (several axes)", features: [4, 3], f: (x) => add(softmax(x, { dims: [1, 2] }), logsoftmax(x, { dims: [1, 2] })) },
  { name: "softmax over dim 2", features: [4, 3], f: (x) => softmax(x, { dims: 2 }) },
  { name: "reshape and permutedims", features: [4, 3], f: (x) => reshape(permutedims(reshape(x, [2, 6, -1]), [2, 1, 3]), [12, -1]) },
  { name: "permutedims moving the batch dim first", features: [4, 3], f: (x) => permutedims(x, [3, 1, 2]) },
  { name: "broadcastTo", features: [4], f: (x) => add(broadcastTo(sum(x, { dims: 1 }), x.shape), broadcastTo(wrapColMajor(Float32Array.of(1, 2, 3, 4), [4]), x.shape)) },
  { name: "slicing with steps and an integer index", features: [6, 3], f: (x) => add(getindex(x, { start: 1, stop: 5, step: 2 }, 2, ":"), getindex(x, [4, 6], 3, ":")) },
  { name: "concat along features", features: [4], f: (x) => concat([x, tanh(x), getindex(x, [2, 3], ":")], { dims: 1 }) },
  { name: "matmul: W x, Wᵀ-free, transA", features: [3], f: (x) => matmul(W, matmul(W, matmul(W, x), { transA: true })) },
  { name: "matmul: xᵀ W (transB) and transA with transB", features: [3], f: (x) => matmul(matmul(W, permutedims(x, [2, 1]), { transB: true }), V, { transA: true, transB: true }) },
  { name: "astype, copy, stopGradient", features: [4], f: (x) => astype(add(copy(astype(x, "f64")), astype(stopGradient(x), "f64")), "f32") },
];
