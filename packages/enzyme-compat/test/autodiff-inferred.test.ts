/** autodiff without a return activity infers it as Enzyme's guess_activity: Active (reverse), Duplicated (forward), Const for nothing. */
import { sum, mul, exp, assign, toFlatArray, wrapColMajor, type Tensor } from "@tsflux/graph";
import { autodiff, Reverse, ReverseWithPrimal, Forward, ForwardWithPrimal, Active, Const, Duplicated } from "@tsflux/enzyme-compat";

const vec = (...v: number[]) => wrapColMajor(Float64Array.from(v), [v.length]);
const f = (a: Tensor, x: Tensor) => mul(mul(a, a), sum(mul(x, mul(x, x))));

test("Reverse with a scalar result: the same as an explicit Active return", () => {
  const dxInferred = vec(0, 0), dxExplicit = vec(0, 0);
  const inferred = autodiff(Reverse, f, Active(3), Duplicated(vec(1, 2), dxInferred));
  const explicit = autodiff(Reverse, f, Active, Active(3), Duplicated(vec(1, 2), dxExplicit));
  expect(inferred).toEqual(explicit);
  expect(inferred).toEqual([[54, null]]);
  expect(toFlatArray(dxInferred)).toEqual([27, 108]);
  expect(autodiff(ReverseWithPrimal, f, Active(2), Const(vec(1, 1)))).toEqual([[8, null], 8]);
});

test("Forward with a float result: Duplicated, so the tangent comes back", () => {
  const g = (x: Tensor) => sum(mul(x, mul(x, x)));
  expect(autodiff(Forward, g, Duplicated(vec(1, 2), vec(1, 0)))).toEqual([3]);
  expect(autodiff(ForwardWithPrimal, g, Duplicated(vec(1, 2), vec(1, 0)))).toEqual([3, 9]);
});

test("a function that returns nothing has a Const return: Reverse still accumulates shadows, Forward returns no tangent", () => {
  const set = (y: Tensor, x: Tensor) => void assign(y, exp(x));
  const y = vec(0, 0), dy = vec(1, 1), x = vec(0, 1), dx = vec(0, 0);
  expect(autodiff(Reverse, set, Duplicated(y, dy), Duplicated(x, dx))).toEqual([[null, null]]);
  expect(toFlatArray(dx)).toEqual([1, Math.E]);
  const y2 = vec(0, 0), dy2 = vec(0, 0);
  expect(autodiff(Forward, set, Duplicated(y2, dy2), Duplicated(vec(0, 1), vec(1, 1)))).toEqual([]);
  expect(toFlatArray(dy2)).toEqual([1, Math.E]);
});
