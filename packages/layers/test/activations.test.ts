/** Activations: values against plain-JS formulas, derivatives against finite differences, extreme inputs, printed names. */
import { Tensor, toFlatArray, vjp, sum } from "@tsflux/graph";
import { expectClose, gradcheck, gradgradcheck, mulberry32, randomArray, seedFrom } from "@tsflux/graph/testing";
import {
  Dense, compactString, elu, gelu, leakyrelu, logsoftmax, relu, sigmoid, softmax, softplus, swish, tanh, type Activation,
  selu, celu, mish, hardtanh, relu6, logsigmoid, softsign, hardsigmoid, tanhshrink, softshrink, trelu, lisht, hardswish,
} from "@tsflux/layers";
import { f32Array, f64Array } from "./params";

const logistic = (v: number) => 1 / (1 + Math.exp(-v));

/** Every activation the package exports, with an independent scalar formula (softmax ones are checked per column below). */
const ELEMENTWISE: [string, Activation, (v: number) => number][] = [
  ["σ", sigmoid, logistic],
  ["relu", relu, (v) => Math.max(v, 0)],
  ["leakyrelu", leakyrelu, (v) => (v > 0 ? v : 0.01 * v)],
  ["elu", elu, (v) => (v >= 0 ? v : Math.exp(v) - 1)],
  ["gelu", gelu, (v) => 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3)))],
  ["swish", swish, (v) => v * logistic(v)],
  ["tanh", tanh, Math.tanh],
  ["softplus", softplus, (v) => Math.log1p(Math.exp(v))],
  ["selu", selu, (v) => 1.0507009873554805 * (v > 0 ? v : 1.6732632423543772 * (Math.exp(v) - 1))],
  ["celu", celu, (v) => (v >= 0 ? v : Math.exp(v) - 1)],
  ["mish", mish, (v) => v * Math.tanh(Math.log1p(Math.exp(v)))],
  ["hardtanh", hardtanh, (v) => Math.max(-1, Math.min(1, v))],
  ["relu6", relu6, (v) => Math.min(Math.max(0, v), 6)],
  ["logσ", logsigmoid, (v) => Math.log(logistic(v))],
  ["softsign", softsign, (v) => v / (1 + Math.abs(v))],
  ["hardσ", hardsigmoid, (v) => Math.max(0, Math.min(1, (v + 3) / 6))],
  ["tanhshrink", tanhshrink, (v) => v - Math.tanh(v)],
  ["softshrink", softshrink, (v) => (v > 0.5 ? v - 0.5 : v < -0.5 ? v + 0.5 : 0)],
  ["trelu", trelu, (v) => (v > 1 ? v : 0)],
  ["lisht", lisht, (v) => v * Math.tanh(v)],
  ["hardswish", hardswish, (v) => (v <= -3 ? 0 : v >= 3 ? v : (v * (v + 3)) / 6)],
];
const COLUMNWISE: [string, Activation][] = [["softmax", softmax], ["logsoftmax", logsoftmax]];

const points = [-3, -1.5, -0.25, 0.25, 1, 2.5];

test.each(ELEMENTWISE)("%s matches its formula", (_name, f, formula) => {
  expectClose(f(Tensor.concrete(f64Array(points, [6]))), points.map(formula), { rtol: 1e-12, atol: 1e-15 });
});

test("gelu(1) is NNlib's gelu_tanh value 0.8411919906082768; leakyrelu and elu take their parameter", () => {
  expect(toFlatArray(gelu(f64Array([1], [1])).toNdarray())[0]).toBeCloseTo(0.8411919906082768, 14);
  expect(toFlatArray(leakyrelu(f64Array([-2], [1]), 0.2).toNdarray())).toEqual([-0.4]);
  expect(toFlatArray(elu(f64Array([-1], [1]), 2).toNdarray())[0]).toBeCloseTo(2 * (Math.exp(-1) - 1), 14);
});

test("softmax and logsoftmax act on each column (dims = 1)", () => {
  const x = f64Array([1, 2, 3, 0, 0, 10], [3, 2]);
  const columns = [[1, 2, 3], [0, 0, 10]];
  const soft = columns.flatMap((c) => c.map((v) => Math.exp(v) / c.reduce((s, u) => s + Math.exp(u), 0)));
  expectClose(softmax(Tensor.concrete(x)), soft, { rtol: 1e-12 });
  expectClose(logsoftmax(Tensor.concrete(x)), soft.map(Math.log), { rtol: 1e-12 });
});

describe("derivatives (Float64 finite differences, away from the kinks at 0)", () => {
  const all: [string, Activation][] = [...ELEMENTWISE.map(([n, f]) => [n, f] as [string, Activation]), ...COLUMNWISE];
  test.each(all)("%s: first order", (name, f) => {
    gradcheck((x) => f(x), [randomArray(mulberry32(seedFrom(name)), [3, 2], "f64", "real")], { what: name });
  });
  test.each(all)("%s: second order", (name, f) => {
    gradgradcheck((x) => f(x), [randomArray(mulberry32(seedFrom(`2:${name}`)), [3, 2], "f64", "real")], { what: name });
  });
});

test.each(ELEMENTWISE)("%s stays finite, with finite gradients, at ±1000 in Float32", (_name, f) => {
  const { value, grads } = vjp((x) => sum(f(x)), [f32Array([1000, -1000], [2])]);
  expect(Number.isFinite(Number(value))).toBe(true);
  expect(toFlatArray(grads[0]!.toNdarray()).every(Number.isFinite)).toBe(true);
});

test("softmax and logsoftmax of extreme logits are finite", () => {
  const x = f32Array([1000, -1000, 0], [3]);
  expectClose(softmax(x), [1, 0, 0]);
  expectClose(logsoftmax(x), [0, -2000, -1000]);
});

test("activations print with Flux's names inside a layer", () => {
  const names = [...ELEMENTWISE, ...COLUMNWISE].map(([, f]) => compactString(Dense(1, 1, f)));
  expect(names).toEqual([
    "Dense(1 => 1, σ)", "Dense(1 => 1, relu)", "Dense(1 => 1, leakyrelu)", "Dense(1 => 1, elu)", "Dense(1 => 1, gelu)",
    "Dense(1 => 1, swish)", "Dense(1 => 1, tanh)", "Dense(1 => 1, softplus)",
    ...["selu", "celu", "mish", "hardtanh", "relu6", "logσ", "softsign", "hardσ", "tanhshrink", "softshrink", "trelu", "lisht", "hardswish"].map((n) => `Dense(1 => 1, ${n})`),
    "Dense(1 => 1, softmax)", "Dense(1 => 1, logsoftmax)",
  ]);
});
