/** The @example lines in the TSDoc of the public functions, checked so the docs cannot drift from the code. */
import ndarray from "ndarray";
import { sum, toFlatArray, wrapColMajor } from "@tsflux/graph";
import { Chain, DataLoader, Dense, logitcrossentropy, mse, onecold, onehotbatch, randn32, relu } from "@tsflux/layers";

test("Chain", () => {
  const model = Chain(Dense(2, 3, relu), Dense(3, 1));
  expect(model.forward(randn32(2, 5)).shape).toEqual([1, 5]);
  expect(String(model)).toBe(
    [
      "Chain(",
      "  Dense(2 => 3, relu),                  # 9 parameters",
      "  Dense(3 => 1),                        # 4 parameters",
      ")                   # Total: 4 arrays, 13 parameters, 52 bytes.",
    ].join("\n"),
  );
});

test("Dense", () => {
  const d = Dense(wrapColMajor(new Float32Array([1, 4, 2, 5, 3, 6]), [2, 3]), true, relu);
  expect(toFlatArray(d.forward(wrapColMajor(new Float32Array([1, 1, -1]), [3])).toNdarray())).toEqual([0, 3]);
  expect(String(d)).toBe("Dense(3 => 2, relu)  # 8 parameters");
});

test("mse and logitcrossentropy", () => {
  const yhat = ndarray(new Float32Array([1, 2, 3])), y = ndarray(new Float32Array([0, 2, 5]));
  expect(Number(mse(yhat, y))).toBeCloseTo(5 / 3, 6);
  expect(Number(mse(yhat, y, { agg: sum }))).toBe(5);
  expect(Number(logitcrossentropy(ndarray(new Float32Array([1000, -1000]), [2, 1]), ndarray(new Float32Array([0, 1]), [2, 1])))).toBe(2000);
});

test("onehotbatch and onecold", () => {
  const y = onehotbatch(["b", "a"], ["a", "b", "c"]);
  expect(y.shape).toEqual([3, 2]);
  expect(toFlatArray(y)).toEqual([0, 1, 0, 1, 0, 0]);
  expect(onecold(y, ["a", "b", "c"])).toEqual(["b", "a"]);
  expect(onecold(wrapColMajor(new Float32Array([0.1, 0.7, 0.2, 5, -1, 5]), [3, 2]))).toEqual([2, 1]);
});

test("DataLoader", () => {
  expect(DataLoader(randn32(2, 10), { batchsize: 3 }).length).toBe(4);
});
