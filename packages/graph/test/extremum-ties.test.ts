/** The derivative of maximum/minimum at ties goes to the first extremum in column-major order, as Julia's findmax picks it. */
import { maximum, minimum, vjp, jvp, toFlatArray, wrapColMajor, type Tensor } from "@tsflux/graph";

const m = (values: number[], shape: number[]) => wrapColMajor(Float64Array.from(values), shape);
const ones = (shape: number[]) => m(new Array(shape.reduce((a, d) => a * d, 1)).fill(1), shape);

test("maximum over everything: all of the gradient to the first of three equal maxima", () => {
  const x = m([1, 3, 2, 3, 0, 3], [2, 3]);
  expect(toFlatArray(vjp((t: Tensor) => maximum(t), [x], m([1], [])).grads[0]!.toNdarray())).toEqual([0, 1, 0, 0, 0, 0]);
});

test("maximum and minimum along dims: the first tie of each column or row", () => {
  const x = m([2, 2, 1, 5, 7, 7, 7, 0, 0], [3, 3]);
  expect(toFlatArray(vjp((t: Tensor) => maximum(t, { dims: 1 }), [x], ones([1, 3])).grads[0]!.toNdarray())).toEqual([1, 0, 0, 0, 1, 0, 1, 0, 0]);
  expect(toFlatArray(vjp((t: Tensor) => minimum(t, { dims: 2 }), [x], ones([3, 1])).grads[0]!.toNdarray())).toEqual([1, 0, 0, 0, 0, 0, 0, 1, 1]);
});

test("forward mode agrees: the tangent of the first maximum", () => {
  const x = m([4, 1, 4], [3]);
  expect(Number(jvp((t: Tensor) => maximum(t), [x], [m([10, 20, 30], [3])]).tangent)).toBe(10);
});
