/**
 * stridedCopy (the allocation-free copy between strided views that code outside plans uses): every element
 * lands where a plain loop over multi-indices puts it, for ranks 0 to 4, permuted and padded strides,
 * offsets, and accumulation.
 */
import { allocationCount, stridedCopy } from "@tsflux/graph";
import { mulberry32 } from "@tsflux/graph/testing";

/** Strides of a view of `shape` in a padded buffer: the dims in the order `perm`, each padded by `pad[d]`. */
function stridesFor(shape: readonly number[], perm: readonly number[], pad: readonly number[]): { stride: number[]; size: number } {
  const stride = new Array<number>(shape.length).fill(0);
  let acc = 1;
  for (const d of perm) {
    stride[d] = acc;
    acc *= shape[d]! + pad[d]!;
  }
  return { stride, size: acc };
}

function multiIndices(shape: readonly number[]): number[][] {
  let out: number[][] = [[]];
  for (const d of shape) out = out.flatMap((idx) => Array.from({ length: d }, (_, i) => [...idx, i]));
  return out;
}

const at = (offset: number, stride: readonly number[], idx: readonly number[]) => idx.reduce((p, i, d) => p + i * stride[d]!, offset);

test("copies and accumulations agree with a loop over multi-indices", () => {
  const rng = mulberry32(7);
  const int = (n: number) => Math.floor(rng() * n);
  const shuffled = (r: number) => Array.from({ length: r }, (_, i) => i).sort(() => rng() - 0.5);
  for (let trial = 0; trial < 60; trial++) {
    const rank = trial % 5, shape = Array.from({ length: rank }, () => 1 + int(4));
    const src = stridesFor(shape, shuffled(rank), shape.map(() => int(2)));
    const dst = stridesFor(shape, shuffled(rank), shape.map(() => int(2)));
    const so = int(3), dO = int(3), accumulate = trial % 2 === 1;
    const s = Float64Array.from({ length: src.size + so }, () => rng());
    const d = Float64Array.from({ length: dst.size + dO }, () => rng());
    const expected = Float64Array.from(d);
    for (const idx of multiIndices(shape)) {
      const v = s[at(so, src.stride, idx)]!, p = at(dO, dst.stride, idx);
      expected[p] = accumulate ? expected[p]! + v : v;
    }
    stridedCopy(shape, s, so, src.stride, d, dO, dst.stride, accumulate);
    expect(Array.from(d)).toEqual(Array.from(expected));
  }
});

test("an empty shape copies nothing, and no call allocates a typed array", () => {
  const d = new Float32Array([5, 6]);
  const before = allocationCount();
  stridedCopy([2, 0], new Float32Array(0), 0, [1, 2], d, 0, [1, 2], false);
  stridedCopy([2], new Float32Array([1, 2]), 0, [1], d, 0, [1], true);
  expect(allocationCount() - before).toBe(0);
  expect(Array.from(d)).toEqual([6, 8]);
});
