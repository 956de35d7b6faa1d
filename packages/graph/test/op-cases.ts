/**
 * Sample inputs for every registered op, with an independent reference for its forward value. The
 * mapped type makes a registered op without cases a compile error, so the sweep cannot skip an op.
 */
import type { AttrsOf, OpName } from "@tsflux/graph";
import { seed } from "@tsflux/graph";
import { mulberry32, type Domain } from "@tsflux/graph/testing";

export const RANDOM_SEED = 1234;
import {
  map1, map2, reduceRef, softmaxRef, matmulRef, permuteRef, broadcastRef, sliceRef, unsliceRef, concatRef,
  sigmoidRef, softplusRef, type Arr,
} from "./reference";
import { gatherRef, scatterAddRef, batchedMatmulRef, firstHitRef } from "./reference-indexing";
import {
  convCases, convDataCases, convFilterCases, maxpoolCases, maxpoolGatherCases, maxpoolScatterCases, meanpoolCases, meanpoolAdjointCases,
} from "./conv-cases";

export interface InputSpec {
  shape: number[];
  domain?: Domain;
  /** "bool" inputs are conditions and "i32" inputs indices (never differentiated); default "f64". */
  dtype?: "f64" | "bool" | "i32";
  /** Fixed column-major values (indices) instead of random ones. */
  values?: number[];
}

export interface OpCase<K extends OpName> {
  label: string;
  inputs: InputSpec[];
  attrs: AttrsOf[K];
  reference: (xs: Arr[]) => Arr;
  /** Runs before each evaluation (to reseed the global generator). */
  before?: () => void;
  /** Set for ops whose derivative is zero by definition (finite differences do not apply). */
  zeroDerivative?: true;
}

type Cases = { [K in OpName]: OpCase<K>[] };
const none = {} as never;

function unary<K extends OpName>(ref: (v: number) => number, domain: Domain = "real"): OpCase<K>[] {
  return [
    { label: "vector", inputs: [{ shape: [5], domain }], attrs: none, reference: ([x]) => map1(x!, ref) },
    { label: "matrix", inputs: [{ shape: [3, 4], domain }], attrs: none, reference: ([x]) => map1(x!, ref) },
  ];
}

function binary<K extends OpName>(ref: (a: number, b: number) => number, da: Domain = "real", db: Domain = "real"): OpCase<K>[] {
  return [
    { label: "vector", inputs: [{ shape: [6], domain: da }, { shape: [6], domain: db }], attrs: none, reference: ([a, b]) => map2(a!, b!, ref) },
    { label: "matrix", inputs: [{ shape: [3, 2], domain: da }, { shape: [3, 2], domain: db }], attrs: none, reference: ([a, b]) => map2(a!, b!, ref) },
  ];
}

function compare<K extends OpName>(ref: (a: number, b: number) => boolean): OpCase<K>[] {
  // values from {0, 1} so that equal pairs occur
  return [{ label: "matrix", inputs: [{ shape: [4, 3], domain: "bool" }, { shape: [4, 3], domain: "bool" }], attrs: none, reference: ([a, b]) => map2(a!, b!, (x, y) => +ref(x, y)) }];
}

const sumRef = (axes: number[], keep: boolean) => ([x]: Arr[]) => reduceRef(x!, axes, keep, 0, (a, v) => a + v);
const maxRef = (axes: number[], keep: boolean) => ([x]: Arr[]) => reduceRef(x!, axes, keep, -Infinity, Math.max);
const minRef = (axes: number[], keep: boolean) => ([x]: Arr[]) => reduceRef(x!, axes, keep, Infinity, Math.min);
const lseRef = (axes: number[], keep: boolean) => ([x]: Arr[]) => map1(reduceRef(x!, axes, keep, 0, (a, v) => a + Math.exp(v)), Math.log);

function reductions<K extends "sum" | "maximum" | "minimum" | "logsumexp">(ref: (axes: number[], keep: boolean) => (xs: Arr[]) => Arr): OpCase<K>[] {
  const c = (label: string, shape: number[], axes: number[], keepDims: boolean) => ({ label, inputs: [{ shape }], attrs: { axes, keepDims } as AttrsOf[K], reference: ref(axes, keepDims) });
  return [
    c("all to scalar", [3, 4], [0, 1], false),
    c("dims=1", [3, 4], [0], true),
    c("dims=2", [3, 4], [1], true),
    c("dims=(1,3) of a 3-d array", [2, 3, 2], [0, 2], true),
  ];
}

function softmaxCases<K extends "softmax" | "logsoftmax">(kind: "softmax" | "logsoftmax"): OpCase<K>[] {
  return [
    { label: "dims=1", inputs: [{ shape: [4, 3] }], attrs: { axes: [0] }, reference: ([x]) => softmaxRef(x!, [0], kind) },
    { label: "dims=2", inputs: [{ shape: [3, 4] }], attrs: { axes: [1] }, reference: ([x]) => softmaxRef(x!, [1], kind) },
    { label: "dims=(1,3)", inputs: [{ shape: [2, 2, 3] }], attrs: { axes: [0, 2] }, reference: ([x]) => softmaxRef(x!, [0, 2], kind) },
  ];
}

const matmulCase = (transA: boolean, transB: boolean): OpCase<"matmul"> => ({
  label: `${transA ? "A'" : "A"}*${transB ? "B'" : "B"}`,
  inputs: [{ shape: transA ? [4, 3] : [3, 4] }, { shape: transB ? [5, 4] : [4, 5] }],
  attrs: { transA, transB },
  reference: ([a, b]) => matmulRef(a!, b!, transA, transB),
});

/** hardswish piece by piece: 0 up to -3, x from 3 on, x (x + 3) / 6 between. */
const hardswishRef = (v: number): number => (v <= -3 ? 0 : v >= 3 ? v : (v * (v + 3)) / 6);

export const OP_CASES: Cases = {
  neg: unary((v) => -v), abs: unary(Math.abs), sign: unary(Math.sign), abs2: unary((v) => v * v),
  sqrt: unary(Math.sqrt, "positive"), exp: unary(Math.exp), expm1: unary((v) => Math.exp(v) - 1),
  log: unary(Math.log, "positive"), log1p: unary((v) => Math.log(1 + v), "positive"), tanh: unary(Math.tanh),
  sigmoid: unary(sigmoidRef), relu: unary((v) => (v > 0 ? v : 0)), softplus: unary(softplusRef),
  softsign: unary((v) => v / (1 + Math.abs(v))),
  hardswish: [...unary<"hardswish">(hardswishRef), {
    label: "all three pieces", inputs: [{ shape: [4, 2], values: [-5.3, -3.4, -2.7, -1.1, 0.4, 2.8, 3.3, 4.6] }], attrs: none, reference: ([x]) => map1(x!, hardswishRef),
  }],
  add: binary((a, b) => a + b), sub: binary((a, b) => a - b), mul: binary((a, b) => a * b), div: binary((a, b) => a / b),
  pow: binary(Math.pow, "positive", "real"), max: binary((a, b) => (a > b ? a : b)), min: binary((a, b) => (a < b ? a : b)),
  less: compare((a, b) => a < b), lessEqual: compare((a, b) => a <= b), greater: compare((a, b) => a > b),
  greaterEqual: compare((a, b) => a >= b), equal: compare((a, b) => a === b), notEqual: compare((a, b) => a !== b),
  where: [{
    label: "matrix",
    inputs: [{ shape: [3, 4], dtype: "bool", domain: "bool" }, { shape: [3, 4] }, { shape: [3, 4] }],
    attrs: none,
    reference: ([c, a, b]) => ({ shape: a!.shape, data: c!.data.map((v, i) => (v ? a!.data[i]! : b!.data[i]!)) }),
  }],
  sum: reductions(sumRef), maximum: reductions(maxRef), minimum: reductions(minRef), logsumexp: reductions(lseRef),
  softmax: softmaxCases("softmax"), logsoftmax: softmaxCases("logsoftmax"),
  matmul: [matmulCase(false, false), matmulCase(false, true), matmulCase(true, false), matmulCase(true, true)],
  reshape: [{ label: "3x4 to 2x6", inputs: [{ shape: [3, 4] }], attrs: { shape: [2, 6] }, reference: ([x]) => ({ shape: [2, 6], data: x!.data }) }],
  permutedims: [
    { label: "transpose", inputs: [{ shape: [3, 4] }], attrs: { perm: [1, 0] }, reference: ([x]) => permuteRef(x!, [1, 0]) },
    { label: "3-d (3,1,2)", inputs: [{ shape: [2, 3, 4] }], attrs: { perm: [2, 0, 1] }, reference: ([x]) => permuteRef(x!, [2, 0, 1]) },
  ],
  broadcastTo: [
    { label: "column [3] to [3,4]", inputs: [{ shape: [3] }], attrs: { shape: [3, 4] }, reference: ([x]) => broadcastRef(x!, [3, 4]) },
    { label: "row [1,4] to [3,4]", inputs: [{ shape: [1, 4] }], attrs: { shape: [3, 4] }, reference: ([x]) => broadcastRef(x!, [3, 4]) },
    { label: "middle [2,1,3] to [2,4,3]", inputs: [{ shape: [2, 1, 3] }], attrs: { shape: [2, 4, 3] }, reference: ([x]) => broadcastRef(x!, [2, 4, 3]) },
  ],
  slice: [
    { label: "rows 2:3, every other column", inputs: [{ shape: [4, 5] }], attrs: { start: [1, 0], stop: [3, 5], step: [1, 2] }, reference: ([x]) => sliceRef(x!, [1, 0], [3, 5], [1, 2]) },
  ],
  unslice: [
    { label: "into [4,5]", inputs: [{ shape: [2, 3] }], attrs: { shape: [4, 5], start: [1, 0], step: [1, 2] }, reference: ([y]) => unsliceRef(y!, [4, 5], [1, 0], [1, 2]) },
  ],
  concat: [
    { label: "dims=1", inputs: [{ shape: [2, 3] }, { shape: [1, 3] }], attrs: { axis: 0 }, reference: (xs) => concatRef(xs, 0) },
    { label: "dims=2 of three", inputs: [{ shape: [2, 1] }, { shape: [2, 3] }, { shape: [2, 2] }], attrs: { axis: 1 }, reference: (xs) => concatRef(xs, 1) },
  ],
  full: [{ label: "2.5 of [2,3]", inputs: [], attrs: { value: 2.5, shape: [2, 3], dtype: "f64" }, reference: () => ({ shape: [2, 3], data: new Array(6).fill(2.5) }) }],
  astype: [
    { label: "f64 to f64", inputs: [{ shape: [4] }], attrs: { dtype: "f64" }, reference: ([x]) => x! },
    { label: "Bool to f64", inputs: [{ shape: [4], dtype: "bool", domain: "bool" }], attrs: { dtype: "f64" }, reference: ([x]) => x! },
  ],
  copy: [{ label: "matrix", inputs: [{ shape: [2, 3] }], attrs: none, reference: ([x]) => x! }],
  stopGradient: [{ label: "matrix", inputs: [{ shape: [2, 3] }], attrs: none, reference: ([x]) => x!, zeroDerivative: true }],
  assign: binary((_d, s) => s),
  addAssign: binary((d, s) => d + s),
  mulAssign: binary((d, s) => d * s),
  fill: [{ label: "with 1.5", inputs: [{ shape: [2, 3] }], attrs: { value: 1.5 }, reference: () => ({ shape: [2, 3], data: new Array(6).fill(1.5) }) }],
  gather: [
    { label: "columns of a matrix, repeated", inputs: [{ shape: [3, 4] }, { shape: [5], dtype: "i32", values: [2, 4, 2, 1, 4] }], attrs: none, reference: ([s, i]) => gatherRef(s!, i!) },
    { label: "an index matrix", inputs: [{ shape: [2, 3] }, { shape: [2, 2], dtype: "i32", values: [3, 1, 1, 2] }], attrs: none, reference: ([s, i]) => gatherRef(s!, i!) },
    { label: "elements of a vector", inputs: [{ shape: [4] }, { shape: [3], dtype: "i32", values: [4, 4, 1] }], attrs: none, reference: ([s, i]) => gatherRef(s!, i!) },
  ],
  scatterAdd: [
    { label: "into 4 columns, repeated", inputs: [{ shape: [3, 5] }, { shape: [5], dtype: "i32", values: [2, 4, 2, 1, 4] }], attrs: { size: 4 }, reference: ([y, i]) => scatterAddRef(y!, i!, 4) },
    { label: "an index matrix", inputs: [{ shape: [2, 2, 3] }, { shape: [2, 3], dtype: "i32", values: [3, 1, 1, 3, 3, 2] }], attrs: { size: 3 }, reference: ([y, i]) => scatterAddRef(y!, i!, 3) },
  ],
  batchedMatmul: [false, true].flatMap((transA) => [false, true].map((transB) => ({
    label: `${transA ? "A'" : "A"}*${transB ? "B'" : "B"} in 2 batches`,
    inputs: [{ shape: transA ? [4, 3, 2] : [3, 4, 2] }, { shape: transB ? [5, 4, 2] : [4, 5, 2] }],
    attrs: { transA, transB },
    reference: ([a, b]: Arr[]) => batchedMatmulRef(a!, b!, transA, transB),
  }))),
  firstHit: [
    { label: "dims=1", inputs: [{ shape: [3, 4], dtype: "bool", domain: "bool" }], attrs: { axes: [0] }, reference: ([x]) => firstHitRef(x!, [0]) },
    { label: "dims=(1,3)", inputs: [{ shape: [2, 3, 2], dtype: "bool", domain: "bool" }], attrs: { axes: [0, 2] }, reference: ([x]) => firstHitRef(x!, [0, 2]) },
    { label: "all dims", inputs: [{ shape: [3, 3], dtype: "bool", values: [0, 0, 1, 0, 1, 1, 1, 0, 0] }], attrs: { axes: [0, 1] }, reference: ([x]) => firstHitRef(x!, [0, 1]) },
  ],
  randomUniform: [{
    label: "[3,4] with the global generator reseeded",
    inputs: [],
    attrs: { shape: [3, 4], dtype: "f64" },
    // an independent mulberry32 from the same seed gives the same draws
    reference: () => ({ shape: [3, 4], data: Array.from({ length: 12 }, mulberry32(RANDOM_SEED)) }),
    before: () => seed(RANDOM_SEED),
  }],
  conv: convCases, convData: convDataCases, convFilter: convFilterCases,
  maxpool: maxpoolCases, maxpoolGather: maxpoolGatherCases, maxpoolScatter: maxpoolScatterCases,
  meanpool: meanpoolCases, meanpoolAdjoint: meanpoolAdjointCases,
};
