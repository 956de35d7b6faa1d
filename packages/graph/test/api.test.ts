/** The public functions: Julia semantics (1-based dims kept, trailing broadcasting, column-major), eager and traced alike. */
import ndarray from "ndarray";
import {
  add, sub, mul, div, sum, mean, maximum, minimum, softmax, logsoftmax, logsumexp, matmul, transpose, reshape,
  permutedims, getindex, vcat, hcat, concat, where, greater, astype, full, trace, compile, Tensor, toFlatArray,
  wrapColMajor, seed, randomUniform, type NdArray,
} from "@tsflux/graph";
import { expectClose } from "@tsflux/graph/testing";

/** A column-major Float64 matrix from rows written as in Julia: [1 2 3; 4 5 6]. */
function mat(rows: number[][]): NdArray {
  const m = rows.length, n = rows[0]!.length;
  const data = new Float64Array(m * n);
  rows.forEach((r, i) => r.forEach((v, j) => (data[i + j * m] = v)));
  return wrapColMajor(data, [m, n]);
}
const vals = (t: Tensor) => toFlatArray(t.toNdarray());
const A = mat([[1, 2, 3], [4, 5, 6]]);

test("reductions keep the reduced dims (Julia's dims=), and reduce to a scalar without dims", () => {
  expect([...sum(A, { dims: 1 }).shape]).toEqual([1, 3]);
  expect(vals(sum(A, { dims: 1 }))).toEqual([5, 7, 9]);
  expect(vals(sum(A, { dims: 2 }))).toEqual([6, 15]);
  expect([...sum(A).shape]).toEqual([]);
  expect(Number(sum(A))).toBe(21);
  expect(vals(mean(A, { dims: 2 }))).toEqual([2, 5]);
  expect(Number(mean(A))).toBe(3.5);
  expect(vals(maximum(A, { dims: 1 }))).toEqual([4, 5, 6]);
  expect(Number(minimum(A))).toBe(1);
  expect(vals(sum(A, { dims: [1, 2] }))).toEqual([21]);
  expect(vals(sum(A, { dims: 3 }))).toEqual([1, 4, 2, 5, 3, 6]); // a dim beyond ndims is a no-op, as in Julia
});

test("softmax and logsoftmax default to dims=1 (each column); logsumexp defaults to all dims", () => {
  const col = (a: number, b: number) => [Math.exp(a) / (Math.exp(a) + Math.exp(b)), Math.exp(b) / (Math.exp(a) + Math.exp(b))];
  expectClose(softmax(A), [...col(1, 4), ...col(2, 5), ...col(3, 6)], { rtol: 1e-14 });
  expectClose(logsoftmax(A), [...col(1, 4), ...col(2, 5), ...col(3, 6)].map(Math.log), { rtol: 1e-14 });
  expectClose(logsumexp(A), [Math.log([1, 2, 3, 4, 5, 6].reduce((s, v) => s + Math.exp(v), 0))], { rtol: 1e-14 });
  expectClose(logsumexp(A, { dims: 1 }), [1, 2, 3].map((j) => Math.log(Math.exp(j) + Math.exp(j + 3))), { rtol: 1e-14 });
});

test("broadcasting pads trailing dims: a [2] vector adds to each column of a [2, 3] matrix", () => {
  const b = wrapColMajor(Float64Array.from([10, 20]), [2]);
  expect(vals(add(A, b))).toEqual([11, 24, 12, 25, 13, 26]);
  const row = wrapColMajor(Float64Array.from([1, 2, 3]), [1, 3]);
  expect(vals(mul(A, row))).toEqual([1, 4, 4, 10, 9, 18]);
  expect(vals(sub(A, 1))).toEqual([0, 3, 1, 4, 2, 5]);
  expect(vals(div(1, wrapColMajor(Float64Array.from([2, 4]), [2])))).toEqual([0.5, 0.25]);
});

test("numbers take the other operand's dtype; two numbers give Float64", () => {
  const x32 = wrapColMajor(Float32Array.from([1, 2]), [2]);
  expect(add(x32, 0.1).dtype).toBe("f32");
  expect(vals(add(x32, 0.1))).toEqual([Math.fround(1.1), Math.fround(2.1)]);
  expect(add(1, 2).dtype).toBe("f64");
  expect(Number(add(1, 2))).toBe(3);
});

test("matmul, transposes and matrix-vector products", () => {
  const B = mat([[1, 0], [0, 1], [1, 1]]);
  expect(vals(matmul(A, B))).toEqual([4, 10, 5, 11]);
  expect(vals(matmul(A, A, { transB: true }))).toEqual([14, 32, 32, 77]);
  expect(vals(matmul(A, A, { transA: true }))).toEqual([17, 22, 27, 22, 29, 36, 27, 36, 45]);
  const v = wrapColMajor(Float64Array.from([1, 1, 1]), [3]);
  expect([...matmul(A, v).shape]).toEqual([2]);
  expect(vals(matmul(A, v))).toEqual([6, 15]);
  expect([...transpose(v).shape]).toEqual([1, 3]);
  expect(vals(transpose(A))).toEqual([1, 2, 3, 4, 5, 6]);
});

test("reshape is column-major; -1 is inferred; permutedims takes 1-based dims", () => {
  expect(vals(reshape(A, [3, 2]))).toEqual([1, 4, 2, 5, 3, 6]);
  expect([...reshape(A, [-1]).shape]).toEqual([6]);
  const P = permutedims(reshape(A, [2, 3, 1]), [3, 1, 2]);
  expect([...P.shape]).toEqual([1, 2, 3]);
});

test("getindex is 1-based: integers drop the dim, ranges and ':' keep it", () => {
  expect(vals(getindex(A, 2, ":"))).toEqual([4, 5, 6]);
  expect([...getindex(A, 2, ":").shape]).toEqual([3]);
  expect([...getindex(A, [1, 2], 3).shape]).toEqual([2]);
  expect(Number(getindex(A, 2, 3))).toBe(6);
  expect(vals(getindex(A, ":", { start: 1, stop: 3, step: 2 }))).toEqual([1, 4, 3, 6]);
});

test("vcat, hcat and concat(dims)", () => {
  expect(vals(vcat(A, A))).toEqual([1, 4, 1, 4, 2, 5, 2, 5, 3, 6, 3, 6]);
  expect([...hcat(A, A).shape]).toEqual([2, 6]);
  expect([...concat([A, A], { dims: 3 }).shape]).toEqual([2, 3, 2]);
});

test("where and comparisons", () => {
  expect(vals(where(greater(A, 3), A, 0))).toEqual([0, 4, 0, 5, 0, 6]);
  expect(greater(A, 3).dtype).toBe("bool");
  expect(vals(astype(greater(A, 3), "f32"))).toEqual([0, 1, 0, 1, 0, 1]);
});

test("eager and traced evaluation agree", () => {
  const f = (x: Tensor) => softmax(add(mul(x, 2), sum(x, { dims: 1 })));
  const eager = vals(f(Tensor.concrete(A)));
  const traced = toFlatArray(compile(trace(f, A)).run(A)[0]!);
  expectClose(traced, eager, { rtol: 1e-15 });
});

test("Number(t) and toNdarray() on concrete results; any input strides are read by logical index", () => {
  const rowMajor = ndarray(Float64Array.from([1, 2, 3, 4, 5, 6]), [2, 3]); // ndarray's default: row-major
  expect(vals(sum(rowMajor, { dims: 1 }))).toEqual([5, 7, 9]);
  const t = sum(A);
  expect(Number(t)).toBe(21);
  expect(t.toNdarray().get()).toBe(21);
  expect(String(full(1.5, [2]))).toBe("Tensor(f32[2], [1.5, 1.5])");
});

test("randomUniform draws from the seedable global generator, fresh on each run of a plan", () => {
  seed(7);
  const first = vals(randomUniform([4], "f64"));
  seed(7);
  expect(vals(randomUniform([4], "f64"))).toEqual(first);
  const plan = compile(trace(() => randomUniform([4], "f64")));
  const a = toFlatArray(plan.run()[0]!), b = toFlatArray(plan.run()[0]!);
  expect(a).not.toEqual(b);
  expect([...a, ...b].every((v) => v >= 0 && v < 1)).toBe(true);
});
