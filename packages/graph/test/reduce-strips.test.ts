/**
 * Sums that keep a middle run of dims (bias gradients: a conv's [W, H, C, N] summed over all but C), whose
 * Float32 path runs two Wasm SIMD passes: values against a naive Float64 loop over multi-indices, the
 * layout test itself, and shapes whose kept dims are not one middle run (the generic loops) for contrast.
 */
import { applyOp, compiled, longLivedZeros, toFlatArray, type NdArray, type Tensor } from "@tsflux/graph";
import { expectClose, mulberry32, seedFrom } from "@tsflux/graph/testing";
import { stripsLayout } from "../src/kernels/reduce-strips";

const rng = mulberry32(seedFrom("reduce-strips.test"));

/** y[kept multi-index] = Σ x over the reduced axes, in Float64, by enumerating every element. */
function naiveSum(x: ArrayLike<number>, shape: number[], axes: number[]): number[] {
  const kept = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const out = new Array<number>(kept.reduce((p, d) => p * d, 1)).fill(0);
  const idx = shape.map(() => 0);
  for (let e = 0; e < x.length; e++) {
    let o = 0;
    for (let a = shape.length - 1; a >= 0; a--) o = o * kept[a]! + (axes.includes(a) ? 0 : idx[a]!);
    out[o]! += x[e]!;
    for (let a = 0; a < shape.length && ++idx[a]! === shape[a]; a++) idx[a] = 0;
  }
  return out;
}

const CASES: Array<{ shape: number[]; axes: number[]; strips: boolean }> = [
  { shape: [24, 24, 6, 8], axes: [0, 1, 3], strips: true },
  { shape: [7, 3, 5], axes: [0, 2], strips: true },
  { shape: [5, 1, 6, 3, 2], axes: [0, 3, 4], strips: true },
  { shape: [3, 4, 5, 2], axes: [0, 3], strips: true },
  { shape: [1, 9, 1, 4, 3], axes: [1, 4], strips: true },
  { shape: [3, 4, 5, 2], axes: [1, 3], strips: false },
  { shape: [6, 4, 5], axes: [0, 1], strips: false },
];

test.each(CASES)("Float32 sum of $shape over $axes against a Float64 loop", ({ shape, axes, strips }) => {
  expect(stripsLayout(shape, axes) !== undefined).toBe(strips);
  const x = longLivedZeros(shape, "f32"), data = x.data as Float32Array;
  for (let i = 0; i < data.length; i++) data[i] = 2 * rng() - 1;
  const r = compiled((t: Tensor) => applyOp("sum", [t], { axes, keepDims: true }))(x) as Tensor | NdArray;
  const y = "toNdarray" in r ? r.toNdarray() : r;
  expect([...y.shape]).toEqual(shape.map((d, i) => (axes.includes(i) ? 1 : d)));
  expectClose(toFlatArray(y), naiveSum(data, shape, axes), { rtol: 1e-5, atol: 1e-5 });
});

test("the layout is [reduced, kept, reduced] over the non-unit dims", () => {
  expect(stripsLayout([24, 24, 6, 128], [0, 1, 3])).toEqual({ a: 576, b: 6, c: 128 });
  expect(stripsLayout([3, 4, 5, 2], [0, 3])).toEqual({ a: 3, b: 20, c: 2 });
  expect(stripsLayout([4, 5], [0])).toBeUndefined();
  expect(stripsLayout([4, 5], [1])).toBeUndefined();
});
