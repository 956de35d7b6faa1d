/**
 * mergeStridedDims (the strided copy's loop-nest simplification): the merged nest visits the same
 * (source, destination) offset pairs in the same order as the original, for random shapes, broadcast
 * (stride 0) dims, permutations and size-1 dims; and a per-channel broadcast merges to [W·H, C, N].
 */
import { mulberry32 } from "@tsflux/graph/testing";
import { mergeStridedDims } from "../src/kernels/strided-merge";

/** Every (src, dst) offset pair of a loop nest, first dim innermost. */
function pairs(shape: readonly number[], src: readonly number[], dst: readonly number[]): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  const n = shape.reduce((p, d) => p * d, 1), idx = shape.map(() => 0);
  for (let e = 0; e < n; e++) {
    out.push([idx.reduce((s, i, a) => s + i * src[a]!, 0), idx.reduce((s, i, a) => s + i * dst[a]!, 0)]);
    for (let a = 0; a < shape.length && ++idx[a]! === shape[a]; a++) idx[a] = 0;
  }
  return out;
}

const colMajor = (shape: readonly number[]) => shape.map((_, i) => shape.slice(0, i).reduce((p, d) => p * d, 1));

test("merged loop nests visit the same offset pairs in the same order", () => {
  const rng = mulberry32(11);
  const int = (n: number) => Math.floor(rng() * n);
  for (let trial = 0; trial < 300; trial++) {
    const shape = Array.from({ length: 1 + int(5) }, () => 1 + int(4));
    const dst = colMajor(shape);
    const perm = shape.map((_, i) => i).sort(() => rng() - 0.5);
    const permuted = colMajor(perm.map((p) => shape[p]!));
    const src = shape.map((_, d) => (rng() < 0.3 ? 0 : permuted[perm.indexOf(d)]!));
    const m = mergeStridedDims(shape, src, dst);
    expect(m.shape.length).toBeLessThanOrEqual(shape.length);
    expect(pairs(m.shape, m.src, m.dst)).toEqual(pairs(shape, src, dst));
  }
});

test("a per-channel broadcast over [W, H, C, N] is a W·H fill per channel", () => {
  expect(mergeStridedDims([24, 24, 6, 128], [0, 0, 1, 0], colMajor([24, 24, 6, 128]))).toEqual({ shape: [576, 6, 128], src: [0, 1, 0], dst: [1, 576, 3456] });
  expect(mergeStridedDims([24, 24, 6, 128], [0, 0, 1, 6], colMajor([24, 24, 6, 128]))).toEqual({ shape: [576, 768], src: [0, 1], dst: [1, 576] });
  expect(mergeStridedDims([1, 1], [0, 0], [1, 1])).toEqual({ shape: [1], src: [0], dst: [0] });
  expect(mergeStridedDims([], [], [])).toEqual({ shape: [], src: [], dst: [] });
});
