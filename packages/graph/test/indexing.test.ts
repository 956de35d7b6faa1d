/**
 * getindex with Int32 index arrays (Julia's `W[:, idx]`, `x[:, idx, :]`), its errors, and attention
 * masks: masked entries get exactly zero softmax weight and no gradient.
 */
import { DTypeError, ShapeError, Tensor, applyMask, additiveMask, add, getindex, gather, makeCausalMask, softmax, sum, mul, toFlatArray, vjp, wrapColMajor } from "@tsflux/graph";
import { gradcheck, mulberry32, randomArray, seedFrom } from "@tsflux/graph/testing";

const ints = (values: number[], shape: number[]) => wrapColMajor(Int32Array.from(values), shape);

test("x[:, idx, :] with an index matrix matches a plain loop over Julia's indexing rule", () => {
  const x = randomArray(mulberry32(seedFrom("getindex-middle")), [2, 3, 2], "f64");
  const idx = ints([3, 1, 2, 3], [2, 2]);
  const y = getindex(x, ":", idx, ":");
  expect([...y.shape]).toEqual([2, 2, 2, 2]);
  const xs = toFlatArray(x), ys = toFlatArray(y.toNdarray()), is = toFlatArray(idx);
  for (let a = 0; a < 2; a++) for (let p = 0; p < 2; p++) for (let q = 0; q < 2; q++) for (let c = 0; c < 2; c++) {
    const j = is[p + 2 * q]! - 1;
    expect(ys[a + 2 * p + 4 * q + 8 * c]).toBe(xs[a + 2 * j + 6 * c]);
  }
});

test("W[:, idx] with a vector of indices is gather, and its gradient matches finite differences", () => {
  const w = randomArray(mulberry32(seedFrom("getindex-last")), [3, 4], "f64");
  const idx = ints([4, 2, 4], [3]);
  expect(toFlatArray(getindex(w, ":", idx).toNdarray())).toEqual(toFlatArray(gather(w, idx).toNdarray()));
  gradcheck((x: Tensor) => getindex(x, ":", idx), [w], { what: "getindex(x, :, idx)" });
  gradcheck((x: Tensor) => getindex(x, ints([3, 1, 3], [3]), ":"), [w], { what: "getindex(x, idx, :)" });
});

test("out-of-range, non-Int32 and mixed indices are errors that name the op and the sizes", () => {
  const w = wrapColMajor(new Float64Array(6), [2, 3]);
  expect(() => gather(w, ints([1, 4], [2]))).toThrow(new ShapeError("gather: index 4 at position 2 is out of bounds for 3 columns (indices are 1-based)"));
  expect(() => gather(w, ints([0], [1]))).toThrow(/index 0 at position 1 is out of bounds/);
  expect(() => getindex(w, ":", wrapColMajor(new Float64Array([1]), [1]))).toThrow(DTypeError);
  expect(() => getindex(w, 1, ints([1], [1]))).toThrow(/every other index must be ":"/);
});

describe("masks", () => {
  const logits = randomArray(mulberry32(seedFrom("mask")), [4, 4], "f64");
  const keep = makeCausalMask(4);

  test("makeCausalMask(len)[i, j] = i ≤ j", () => {
    const m = toFlatArray(keep);
    for (let j = 0; j < 4; j++) for (let i = 0; i < 4; i++) expect(m[i + 4 * j]).toBe(i <= j ? 1 : 0);
  });

  test.each([
    ["Bool mask", (x: Tensor) => applyMask(x, keep)],
    ["additive mask", (x: Tensor) => add(x, additiveMask(keep, "f64"))],
  ])("%s: masked weights are exactly zero, kept weights are a softmax over the kept keys, no gradient leaks", (_name, masked) => {
    const w = toFlatArray(softmax(masked(Tensor.concrete(logits)), { dims: 1 }).toNdarray());
    const l = toFlatArray(logits);
    for (let j = 0; j < 4; j++) {
      let z = 0;
      for (let i = 0; i <= j; i++) z += Math.exp(l[i + 4 * j]!);
      for (let i = 0; i < 4; i++) {
        if (i > j) expect(w[i + 4 * j]).toBe(0);
        else expect(Math.abs(w[i + 4 * j]! - Math.exp(l[i + 4 * j]!) / z)).toBeLessThan(1e-14);
      }
    }
    const u = randomArray(mulberry32(1), [4, 4], "f64");
    const g = toFlatArray(vjp((x: Tensor) => sum(mul(softmax(masked(x), { dims: 1 }), u)), [logits], wrapColMajor(new Float64Array([1]), [])).grads[0]!.toNdarray());
    for (let j = 0; j < 4; j++) for (let i = j + 1; i < 4; i++) expect(Math.abs(g[i + 4 * j]!)).toBe(0);
  });
});
