/**
 * train refuses a non-finite gradient as it refuses a non-finite loss: a DomainError naming the data item
 * and the first parameter, with model, shadow and optimiser state unchanged. Allocation paths check the
 * shape for overflow and the bytes against the memory budget, in both heap modes.
 */
import ndarray from "ndarray";
import { add, sum, sqrt, abs2, setMemoryBudget, getMemoryBudget, setWasmHeap, ShapeError, OutOfMemoryError, allFinite, longLivedZeros, type Tensor, type NdArray } from "@tsflux/graph";
import { Chain, Dense, relu, zeros32, randn32, onehotbatch } from "@tsflux/layers";
import { setup, Adam } from "@tsflux/optim";
import { Duplicated, train, makeZero, DomainError } from "@tsflux/enzyme-compat";

const snapshot = (x: unknown): unknown => JSON.parse(JSON.stringify(x, (_k, v) => (ArrayBuffer.isView(v) ? Array.from(v as Float32Array) : v)));

test("a NaN gradient with a finite loss stops train before any update, naming the item and the parameter", () => {
  const model = Chain(Dense(ndarray(new Float32Array([0.5, -1, 2, 0.25]), [2, 2], [1, 2]), ndarray(new Float32Array([1, 0]), [2]), relu));
  const dup = Duplicated(model);
  const state = setup(Adam(), model);
  // √(b²) has derivative b/|b|, 0/0 = NaN at b = 0, while the loss itself is finite
  const loss = (m: Chain, x: Tensor) => add(sum(m.forward(x)), sum(sqrt(abs2((m.layers as unknown as { bias: NdArray }[])[0]!.bias))));
  const x = ndarray(new Float32Array([1, 2]), [2, 1]);
  const before = { model: snapshot(model), state: snapshot(state) };
  let error: unknown;
  try {
    train(loss, dup, [[x], [x]], state);
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(DomainError);
  expect((error as Error).message).toBe("The gradient of model.layers[0].bias is not finite on data item 1 (the loss is 6.5), stopping training");
  expect(snapshot(model)).toEqual(before.model);
  expect(snapshot(state)).toEqual(before.state);
});

test.each([
  ["Float32 in the heap", () => longLivedZeros([37], "f32")],
  ["Float32 in V8's heap", () => zeros32(37)],
  ["Float64", () => ndarray(new Float64Array(37), [37])],
])("allFinite finds NaN, Inf and -Inf anywhere (%s)", (_label, make) => {
  for (const bad of [NaN, Infinity, -Infinity]) {
    for (const at of [0, 3, 35, 36]) {
      const a = make() as NdArray;
      expect(allFinite(a)).toBe(true);
      a.data[at] = bad;
      expect(allFinite(a)).toBe(false);
    }
  }
  const big = make() as NdArray;
  big.data.fill(3e38);
  expect(allFinite(big)).toBe(true); // large finite values are not mistaken for overflow
});

describe.each([["with the Wasm heap", true], ["without it", false]])("allocation is checked %s", (_label, heap) => {
  let oldHeap = true;
  beforeEach(() => { oldHeap = setWasmHeap(heap as boolean); });
  afterEach(() => { setWasmHeap(oldHeap); });

  test("a shape whose element count overflows is a ShapeError", () => {
    expect(() => zeros32(65536, 65536, 65536, 65536)).toThrow(ShapeError);
    expect(() => zeros32(65536, 65536, 65536, 65536)).toThrow("Float32 array: shape [65536, 65536, 65536, 65536] has more elements than can be counted exactly");
  });

  test("the default budget speaks before the heap or V8 would fail", () => {
    expect(getMemoryBudget()).toBeLessThan(2 * 1024 ** 3);
    expect(() => zeros32(1e9)).toThrow(OutOfMemoryError);
  });

  test("every creation path honours setMemoryBudget", () => {
    const model = Chain(Dense(8, 8));
    const old = setMemoryBudget(100);
    try {
      for (const make of [() => zeros32(64), () => randn32(8, 8), () => onehotbatch([1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 3, 4, 5, 6, 7, 8]), () => Dense(8, 8), () => makeZero(model), () => setup(Adam(), model)]) {
        expect(make).toThrow(OutOfMemoryError);
      }
    } finally {
      setMemoryBudget(old);
    }
  });
});
