/** Enzyme's own API: autodiff's return shapes in every mode, Enzyme.gradient, jacobian, hvp, makeZero. */
import ndarray from "ndarray";
import { sum, mul, exp, tanh, assign, abs2, matmul as mulMat, fill, toFlatArray, wrapColMajor, VersionError, type Tensor, type NdArray } from "@tsflux/graph";
import { Chain, Dense, relu } from "@tsflux/layers";
import {
  autodiff, Enzyme, Reverse, ReverseWithPrimal, Forward, ForwardWithPrimal, Const, Active, Duplicated, DuplicatedNoNeed, makeZero,
} from "@tsflux/enzyme-compat";
import { expectClose } from "@tsflux/graph/testing";

const vec = (...v: number[]) => wrapColMajor(Float64Array.from(v), [v.length]);
const values = (a: NdArray) => toFlatArray(a);
const firstDense = (c: Chain): Dense => (c.layers as unknown[])[0] as Dense;

describe("autodiff return shapes", () => {
  // f(a, x) = a² Σ x³
  const f = (a: Tensor, x: Tensor) => mul(mul(a, a), sum(mul(x, mul(x, x))));

  test("Reverse: [[d_arg0, d_arg1]] with a number for Active and null otherwise; shadows accumulate", () => {
    const x = vec(1, 2), dx = vec(0.5, 0.5);
    const out = autodiff(Reverse, f, Active, Active(3), Duplicated(x, dx));
    expect(out).toHaveLength(1);
    const [[da, dxOut]] = out as [[number, null]];
    expectClose(da, 2 * 3 * 9, { rtol: 1e-14 });
    expect(dxOut).toBeNull();
    expect(values(dx)).toEqual([0.5 + 9 * 3 * 1, 0.5 + 9 * 3 * 4]);
  });

  test("ReverseWithPrimal: [[...], primal]", () => {
    const out = autodiff(ReverseWithPrimal, f, Active, Active(2), Const(vec(1, 1)));
    expect(out).toHaveLength(2);
    expect(out[0]).toEqual([8, null]);
    expect(out[1]).toBe(8);
  });

  test("Forward: [tangent] of a Duplicated return; ForwardWithPrimal: [tangent, primal]", () => {
    const x = vec(1, 2), dx = vec(1, 0);
    const g = (x: Tensor) => sum(mul(x, mul(x, x)));
    expect(autodiff(Forward, g, Duplicated, Duplicated(x, dx))).toEqual([3]);
    expect(autodiff(ForwardWithPrimal, g, Duplicated, Duplicated(x, dx))).toEqual([3, 9]);
    expect(autodiff(Forward, g, Const, Duplicated(x, dx))).toEqual([]);
  });

  test("Forward mode through a mutation: the overwritten argument's shadow receives its new tangent", () => {
    const y = vec(0, 0), dy = vec(7, 7), x = vec(1, 2), dx = vec(1, 1);
    autodiff(Forward, (y: Tensor, x: Tensor) => void assign(y, exp(x)), Const, Duplicated(y, dy), Duplicated(x, dx));
    expectClose(y, [Math.E, Math.exp(2)], { rtol: 1e-15 });
    expectClose(dy, [Math.E, Math.exp(2)], { rtol: 1e-15 }); // d(eˣ) = eˣ dx with dx = 1
  });

  test("DuplicatedNoNeed: a needed overwritten value cannot be kept", () => {
    const h = (y: Tensor, x: Tensor) => {
      const s = sum(mul(y, x));
      fill(y, 0);
      return s;
    };
    const y = vec(1, 2), x = vec(3, 4);
    expect(() => autodiff(Reverse, h, Active, DuplicatedNoNeed(y, vec(0, 0)), Duplicated(x, vec(0, 0)))).toThrow(VersionError);
    expect(values(y)).toEqual([1, 2]);
  });
});

describe("Enzyme.gradient", () => {
  const model = Chain(Dense(wrapColMajor(Float64Array.from([0.1, -0.2, 0.3, 0.4, 0.5, -0.6]), [2, 3]), wrapColMajor(Float64Array.from([0.01, 0.02]), [2]), relu));
  const x = wrapColMajor(Float64Array.from([1, 2, 3]), [3, 1]);
  const loss = (m: Chain, x: Tensor) => sum(abs2(m.forward(x)));

  test("plain arguments are active: a same-type zeroed copy holding the gradient; numbers give numbers; Const gives null", () => {
    const [gm, gx, gs] = Enzyme.gradient(Reverse, (m: Chain, x: Tensor, s: Tensor) => mul(loss(m, x), s), model, x, 2) as [Chain, NdArray, number];
    expect(gm).toBeInstanceOf(Chain);
    expect(firstDense(gm)).toBeInstanceOf(Dense);
    expect([...gx.shape]).toEqual([3, 1]);
    const z = [0.1 + 0.6 + 1.5 + 0.01, -0.2 + 0.8 - 1.8 + 0.02]; // W x + b = [2.21, -1.18]; relu keeps the first
    expectClose(gs, z[0]! ** 2, { rtol: 1e-12 });
    expectClose(firstDense(gm).weight, [2 * 2 * z[0]! * 1, 0, 2 * 2 * z[0]! * 2, 0, 2 * 2 * z[0]! * 3, 0], { rtol: 1e-12 });
    expectClose(gx, [4 * z[0]! * 0.1, 4 * z[0]! * 0.3, 4 * z[0]! * 0.5], { rtol: 1e-12 });
    expect((Enzyme.gradient(Reverse, loss, Const(model), x) as unknown[])[0]).toBeNull();
  });

  test("Forward and Reverse agree; ReverseWithPrimal gives { derivs, val }", () => {
    const [r] = Enzyme.gradient(Reverse, loss, model, Const(x)); // typed as the model's own type
    const [f] = Enzyme.gradient(Forward, loss, model, Const(x));
    expectClose(firstDense(f).weight, firstDense(r).weight, { rtol: 1e-12, atol: 1e-15 });
    const withPrimal = Enzyme.gradient(ReverseWithPrimal, loss, model, Const(x)) as { derivs: unknown[]; val: number };
    expectClose(withPrimal.val, 2.21 ** 2, { rtol: 1e-12 });
  });
});

test("Enzyme.jacobian of tanh(W x) in both modes: diag(1 - y²) W", () => {
  const W = wrapColMajor(Float64Array.from([1, 2, 3, 4, 5, 6]), [2, 3]);
  const f = (x: Tensor) => tanh(mulMat(W, x));
  const x = vec(0.1, -0.2, 0.05);
  const y = [0.1 * 1 - 0.2 * 3 + 0.05 * 5, 0.1 * 2 - 0.2 * 4 + 0.05 * 6].map(Math.tanh);
  const expected: number[] = [];
  for (let j = 0; j < 3; j++) for (let i = 0; i < 2; i++) expected.push((1 - y[i]! ** 2) * W.data[i + 2 * j]!);
  for (const mode of [Reverse, Forward]) {
    const J = Enzyme.jacobian(mode, f, x);
    expect([...J.shape]).toEqual([2, 3]);
    expectClose(J, expected, { rtol: 1e-12, what: `${mode} jacobian` });
  }
});

test("Enzyme.hvp(f, x, v) = H v for f = Σ x³: H = diag(6x)", () => {
  const hv = Enzyme.hvp((x: Tensor) => sum(mul(x, mul(x, x))), vec(1, -2, 0.5), vec(1, 1, 2)) as NdArray;
  expectClose(hv, [6, -12, 6], { rtol: 1e-14 });
});

test("makeZero: zeroed float arrays, shared functions and integer arrays, tied arrays stay tied", () => {
  const w = vec(1, 2);
  const labels = ndarray(new Int32Array([1, 2]), [2]);
  const tree = { a: w, b: w, f: Math.sin, n: 3, labels };
  const z = makeZero(tree);
  expect(z.a).not.toBe(w);
  expect(z.a).toBe(z.b);
  expect(values(z.a)).toEqual([0, 0]);
  expect(z.f).toBe(Math.sin);
  expect(z.n).toBe(3);
  expect(z.labels).toBe(labels);
});
