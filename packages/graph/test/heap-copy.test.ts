/**
 * Strided copies between arrays in the WebAssembly heap whose inner dim is contiguous on both sides run
 * as block copies (kernels/wasm/heap-copy.ts); every kind of copy the kernels make (slices of rows,
 * unslices, concats, whole arrays, short runs, strided inner dims, 3-d nests), in both float types and in
 * and out of the heap, against a naive loop written here.
 */
import { longLivedZeros, wrapColMajor, type NdArray } from "@tsflux/graph";
import { stridedCopier } from "../src/kernels/strided";

/** dst[Σ k·dstStrides] = src[Σ k·srcStrides] over `shape`, element by element. */
function naiveCopy(shape: readonly number[], src: ArrayLike<number>, so: number, ss: readonly number[], dst: number[], dO: number, ds: readonly number[]): void {
  const n = shape.reduce((p, d) => p * d, 1), idx = shape.map(() => 0);
  for (let e = 0; e < n; e++) {
    dst[dO + idx.reduce((s, i, a) => s + i * ds[a]!, 0)] = src[so + idx.reduce((s, i, a) => s + i * ss[a]!, 0)]!;
    for (let a = 0; a < shape.length && ++idx[a]! === shape[a]; a++) idx[a] = 0;
  }
}

/** [label, copied shape, source shape, source offset (elements), source strides, destination strides, destination length]. */
const CASES: Array<[string, number[], number, number[], number[], number]> = [
  ["rows 257:512 of a [1024, 32] gate matrix", [256, 32], 256, [1, 1024], [1, 256], 256 * 32],
  ["a [256, 32] slice placed back (unslice)", [256, 32], 0, [1, 256], [1, 1024], 1024 * 32],
  ["a whole contiguous array", [64, 8], 0, [1, 64], [1, 64], 512],
  ["a time step [64, 1, 32] of [64, 64, 32]", [64, 1, 32], 64 * 5, [1, 64, 4096], [1, 64, 64], 64 * 32],
  ["a concat part [17, 3] into [40, 3]", [17, 3], 0, [1, 17], [1, 40], 120],
  ["runs too short for a block copy [5, 9]", [5, 9], 3, [1, 8], [1, 5], 45],
  ["a strided inner dim (every other row)", [16, 4], 0, [2, 32], [1, 16], 64],
  ["a 3-d nest with two outer dims", [32, 3, 2], 0, [1, 64, 256], [1, 32, 96], 192],
];

describe.each([["f32", Float32Array], ["f64", Float64Array]] as const)("%s", (dtype, Arr) => {
  test.each(CASES)("%s: same elements as a naive loop, in the heap and out of it", (_label, shape, so, ss, ds, dstLength) => {
    const srcLength = so + shape.reduce((s, d, a) => s + (d - 1) * ss[a]!, 0) + 1;
    const values = Array.from({ length: srcLength }, (_, i) => Math.sin(i) * 100 + i);
    const expected = Array.from({ length: dstLength }, () => -1);
    naiveCopy(shape, Arr.from(values), so, ss, expected, 0, ds);
    const copier = stridedCopier(dtype, shape, ss, ds);
    const heap = (n: number): NdArray => longLivedZeros([n], dtype);
    for (const inHeap of [true, false]) {
      const src = inHeap ? heap(srcLength) : wrapColMajor(new Arr(srcLength), [srcLength]);
      const dst = inHeap ? heap(dstLength) : wrapColMajor(new Arr(dstLength), [dstLength]);
      (src.data as Float32Array | Float64Array).set(values);
      (dst.data as Float32Array | Float64Array).fill(-1);
      copier(src.data, so, dst.data, 0);
      expect(Array.from(dst.data as Float32Array | Float64Array)).toEqual(expected.map((v) => (dtype === "f32" ? Math.fround(v) : v)));
    }
  });
});
