/** destructure, modules, cpu/gpu, f16 and jacobian against hand-computed expectations and finite differences. */
import { Tensor, ShapeError, mul, sum, tanh, toFlatArray, wrapColMajor, type NdArray } from "@tsflux/graph";
import { expectClose, gradcheck, mulberry32, randomArray } from "@tsflux/graph/testing";
import { Chain, Dense, LSTM, destructure, modules, cpu, gpu, f16, roundToFloat16, jacobian, trainables, relu } from "@tsflux/layers";
import { randomizeParams } from "./params";

describe("destructure", () => {
  const model = randomizeParams(Chain(Dense(2, 3, relu), Dense(3, 1)), mulberry32(1));

  test("flat holds every trainable array once, column-major, in field order; re(flat) rebuilds an equal model", () => {
    const [flat, re] = destructure(model);
    expect(toFlatArray(flat)).toEqual(trainables(model).flatMap((a) => toFlatArray(a)));
    expect(re.length).toBe(6 + 3 + 3 + 1);
    const x = randomArray(mulberry32(2), [2, 4], "f64");
    expectClose(re(flat).forward(x), model.forward(x), { rtol: 0, atol: 0, what: "re(flat)" });
  });

  test("tied arrays appear once; the flat vector is Float32 for a Float32 model", () => {
    const d = Dense(2, 2);
    const [flat, re] = destructure(Chain(d, d));
    expect([flat.data instanceof Float32Array, flat.shape[0]]).toEqual([true, 6]);
    const rebuilt = re(wrapColMajor(Float64Array.from({ length: 6 }, (_, i) => i), [6]));
    expect(rebuilt.layers[0]).toBe(rebuilt.layers[1]);
    expect((rebuilt.layers[0] as Dense).weight.data).toBeInstanceOf(Float32Array);
  });

  test("re is differentiable: gradients with respect to the flat vector match finite differences", () => {
    const [flat, re] = destructure(model);
    const x = randomArray(mulberry32(3), [2, 3], "f64");
    gradcheck((v: Tensor) => re(v).forward(x), [flat], { what: "re(v)(x)" });
  });

  test("a vector of the wrong length is an error", () => {
    const [, re] = destructure(Dense(2, 2));
    expect(() => re(wrapColMajor(new Float32Array(5), [5]))).toThrow(ShapeError);
  });
});

test("modules lists the model, the layers array and each layer, pre-order; arrays of parameters are not modules", () => {
  const inner = LSTM(2, 3), dense = Dense(3, 1);
  const model = Chain(inner, dense);
  const found = modules(model);
  expect(found.length).toBe(5);
  expect(found[0]).toBe(model);
  expect(found[1]).toBe(model.layers);
  expect(found[2]).toBe(inner);
  expect(found[3]).toBe(inner.cell);
  expect(found[4]).toBe(dense);
});

test("cpu and gpu return the model itself", () => {
  const m = Dense(2, 2);
  expect(cpu(m)).toBe(m);
  expect(gpu(m)).toBe(m);
});

test("f16 rounds parameters to the nearest Float16 value", () => {
  expect([1, 1 + 2 ** -11, 1 + 3 * 2 ** -11, 65504, 65519, 65520, 2 ** -24, 0.1].map(roundToFloat16)).toEqual([
    1, 1, 1 + 2 ** -9, 65504, 65504, Infinity, 2 ** -24, 0.0999755859375,
  ]);
  const d = f16(Dense(wrapColMajor(Float32Array.from([0.1, -3.3]), [1, 2])));
  expect(toFlatArray(d.weight)).toEqual([0.0999755859375, -3.30078125]);
});

test("jacobian: one matrix [length(y), length(x)] per argument, matching finite differences", () => {
  const x = randomArray(mulberry32(4), [1, 3], "f64"), w = randomArray(mulberry32(5), [2, 3], "f64");
  const f = (a: Tensor, b: Tensor) => tanh(mul(b, a));
  const [jx, jw] = jacobian(f, x, w) as [NdArray, NdArray];
  expect([...jx.shape, ...jw.shape]).toEqual([6, 3, 6, 6]);
  const xs = toFlatArray(x), ws = toFlatArray(w);
  // y[i, j] = tanh(w[i, j] x[j]): ∂y/∂x[j] = w (1 - y²), ∂y/∂w = x (1 - y²), diagonal in w
  for (let p = 0; p < 6; p++) {
    const j = Math.floor(p / 2);
    const y = Math.tanh(ws[p]! * xs[j]!);
    for (let q = 0; q < 3; q++) expect(Math.abs(toFlatArray(jx)[p + 6 * q]! - (q === j ? ws[p]! * (1 - y * y) : 0))).toBeLessThan(1e-14);
    for (let q = 0; q < 6; q++) expect(Math.abs(toFlatArray(jw)[p + 6 * q]! - (q === p ? xs[j]! * (1 - y * y) : 0))).toBeLessThan(1e-14);
  }
  expect(jacobian((a: Tensor) => sum(a), x)[0]!.shape).toEqual([1, 3]);
});
