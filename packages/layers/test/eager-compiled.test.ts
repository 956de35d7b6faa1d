/**
 * A large eager call runs the layer as one compiled plan: the same values as op-by-op evaluation (the
 * fused loops round every step as the eager ops do), found again by structure on the next call.
 */
import { matmul, add, relu, reshape, programTraceCount, cacheStats, toFlatArray, Tensor, type NdArray } from "@tsflux/graph";
import { mulberry32, randomArray } from "@tsflux/graph/testing";
import { Chain, Dense } from "@tsflux/layers";

test("a large eager forward equals the op-by-op computation and compiles once", () => {
  const rng = mulberry32(11);
  const model = Chain(Dense(randomArray(rng, [128, 256], "f32", "real"), randomArray(rng, [128], "f32", "real"), relu), Dense(128, 10));
  const x = randomArray(rng, [256, 512], "f32", "real"); // 131,072 elements: above the compiled threshold
  const [d1, d2] = model.layers as unknown as [{ weight: NdArray; bias: NdArray }, { weight: NdArray; bias: NdArray }];
  // the same computation, op by op, on small column blocks (below the threshold, so eager)
  const expected: number[] = [];
  for (let j = 0; j < 512; j += 64) {
    const xb = Tensor.concrete(x.hi(256, j + 64).lo(0, j));
    const h = relu(add(matmul(d1.weight, xb), reshape(Tensor.concrete(d1.bias), [128, 1])));
    expected.push(...toFlatArray(add(matmul(d2.weight, h), reshape(Tensor.concrete(d2.bias), [10, 1])).toNdarray()));
  }
  const y = model.forward(x);
  expect(y.shape).toEqual([10, 512]);
  const got = toFlatArray(y.toNdarray());
  got.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(expected[i]!))));
  const builds = programTraceCount(), hits = cacheStats().hits;
  model.forward(x);
  expect(programTraceCount()).toBe(builds);
  expect(cacheStats().hits).toBe(hits + 1); // the compiled plan was found again
  const small = model.forward(x.hi(256, 8)); // 2,048 elements: op by op, no plan
  expect(cacheStats().hits).toBe(hits + 1);
  expect(small.shape).toEqual([10, 8]);
});
