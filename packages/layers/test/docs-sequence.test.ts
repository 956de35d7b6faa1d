/** The @example lines of the sequence layers and utilities, checked so the docs cannot drift from the code. */
import { Tensor, batchedMul, gather, makeCausalMask, mul, toFlatArray, wrapColMajor } from "@tsflux/graph";
import { Chain, Dense, Embedding, Maxout, MultiHeadAttention, destructure, jacobian, modules, randn32, tanh } from "@tsflux/layers";

test("gather and batchedMul", () => {
  const weight = randn32(4, 5);
  expect(gather(weight, wrapColMajor(new Int32Array([3, 1, 3]), [3])).shape).toEqual([4, 3]);
  expect(batchedMul(randn32(8, 3, 2), randn32(8, 5, 2), { transA: true }).shape).toEqual([3, 5, 2]);
});

test("Embedding", () => {
  expect(Embedding(26, 4).forward(wrapColMajor(new Int32Array([3, 1, 3]), [3])).shape).toEqual([4, 3]);
});

test("MultiHeadAttention", () => {
  const mha = MultiHeadAttention(16, { nheads: 4 });
  const [y, scores] = mha.forward(randn32(16, 5, 2), { mask: makeCausalMask(5) });
  expect([...y.shape, ...scores.shape]).toEqual([16, 5, 2, 5, 5, 4, 2]);
});

test("Maxout", () => {
  expect(String(Maxout(() => Dense(5, 7, tanh), 3)).split("\n").slice(1, 4)).toEqual(new Array(3).fill("  Dense(5 => 7, tanh),                  # 42 parameters"));
});

test("destructure, modules and jacobian", () => {
  const [flat, re] = destructure(Dense(2, 3));
  expect([flat.data instanceof Float32Array, flat.shape[0]]).toEqual([true, 9]);
  expect(re(flat).weight.shape).toEqual([3, 2]);
  const model = Chain(Dense(2, 3), Dense(3, 1));
  expect(modules(model)).toEqual([model, model.layers, model.layers[0], model.layers[1]]);
  const x = wrapColMajor(new Float64Array([1, 2]), [2]);
  expect(toFlatArray(jacobian((t: Tensor) => mul(t, t), x)[0]!)).toEqual([2, 0, 0, 4]);
});
