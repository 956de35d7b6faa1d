/** Random arrays, initialisers, one-hot encoding and the DataLoader. */
import { RandomGenerator, ShapeError, Tensor, seed, toFlatArray, type NdArray } from "@tsflux/graph";
import {
  ArgumentError, DataLoader, Dense, glorotNormal, glorotUniform, kaimingNormal, kaimingUniform, nfan, onecold, onehotbatch,
  ones32, rand32, randn32, zeros32,
} from "@tsflux/layers";
import { f32Array, f64Array } from "./params";

const meanOf = (v: number[]) => v.reduce((a, x) => a + x, 0) / v.length;
const varianceOf = (v: number[]) => {
  const m = meanOf(v);
  return meanOf(v.map((x) => (x - m) ** 2));
};

describe("randn32, rand32, zeros32, ones32", () => {
  test("Float32 arrays of the given size; seeding the global generator repeats the draw", () => {
    seed(5);
    const a = randn32(3, 4);
    seed(5);
    const b = randn32(3, 4);
    expect(a.shape).toEqual([3, 4]);
    expect(a.data).toBeInstanceOf(Float32Array);
    expect(toFlatArray(a)).toEqual(toFlatArray(b));
    expect(toFlatArray(zeros32(2, 2))).toEqual([0, 0, 0, 0]);
    expect(toFlatArray(ones32(3))).toEqual([1, 1, 1]);
  });

  test("an explicit generator gives its own reproducible sequence", () => {
    const a = toFlatArray(rand32(new RandomGenerator(7), 5));
    seed(99);
    randn32(10);
    expect(toFlatArray(rand32(new RandomGenerator(7), 5))).toEqual(a);
  });

  test("randn32 has mean 0 and variance 1; rand32 lies in [0, 1) with mean 1/2 (20_000 draws, 5 standard errors)", () => {
    const rng = new RandomGenerator(11);
    const n = toFlatArray(randn32(rng, 20_000));
    expect(Math.abs(meanOf(n))).toBeLessThan(5 / Math.sqrt(20_000));
    expect(Math.abs(varianceOf(n) - 1)).toBeLessThan(5 * Math.sqrt(2 / 20_000));
    const u = toFlatArray(rand32(rng, 20_000));
    expect(u.every((v) => v >= 0 && v < 1)).toBe(true);
    expect(Math.abs(meanOf(u) - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / 20_000));
  });

  test("bad sizes are ShapeErrors", () => {
    expect(() => randn32(2, -1)).toThrow(ShapeError);
    expect(() => zeros32(1.5)).toThrow("zeros32: sizes must be non-negative integers, got (1.5)");
  });
});

describe("initialisers", () => {
  test("nfan gives (fan_in, fan_out) as Flux's", () => {
    expect(nfan()).toEqual([1, 1]);
    expect(nfan(7)).toEqual([1, 7]);
    expect(nfan(3, 5)).toEqual([5, 3]);
    expect(nfan(3, 3, 4, 8)).toEqual([36, 72]);
  });

  const rng = () => new RandomGenerator(21);
  // weight [out = 200, in = 300]: fan_in 300, fan_out 200; 60_000 draws
  const spread: [string, () => NdArray, number, number | undefined][] = [
    ["glorotUniform", () => glorotUniform(rng(), 200, 300), Math.sqrt(6 / 500) ** 2 / 3, Math.sqrt(6 / 500)],
    ["glorotNormal", () => glorotNormal(rng(), 200, 300), 2 / 500, undefined],
    ["kaimingUniform", () => kaimingUniform(rng(), 200, 300), (Math.sqrt(3) * Math.SQRT2 / Math.sqrt(300)) ** 2 / 3, Math.sqrt(3) * Math.SQRT2 / Math.sqrt(300)],
    ["kaimingNormal", () => kaimingNormal(rng(), 200, 300), 2 / 300, undefined],
  ];
  test.each(spread)("%s: Float32 [200, 300] with the closed-form variance (and bound)", (_name, make, variance, bound) => {
    const w = make();
    expect(w.shape).toEqual([200, 300]);
    expect(w.data).toBeInstanceOf(Float32Array);
    const values = toFlatArray(w);
    expect(Math.abs(varianceOf(values) / variance - 1)).toBeLessThan(0.03);
    expect(Math.abs(meanOf(values))).toBeLessThan(5 * Math.sqrt(variance / values.length));
    if (bound !== undefined) expect(values.every((v) => Math.abs(v) <= bound)).toBe(true);
  });

  test("called with options only they return an initialiser; gain scales the spread", () => {
    const init = glorotUniform({ gain: 2 });
    const w = init(20, 30);
    expect(w.shape).toEqual([20, 30]);
    const bound = 2 * Math.sqrt(6 / 50);
    expect(toFlatArray(w).every((v) => Math.abs(v) <= bound)).toBe(true);
    expect(toFlatArray(w).some((v) => Math.abs(v) > bound / 2)).toBe(true);
    const fixed = kaimingNormal(new RandomGenerator(3));
    expect(toFlatArray(fixed(4, 4))).toEqual(toFlatArray(kaimingNormal(new RandomGenerator(3), 4, 4)));
    expect(Dense(30, 20, undefined, { init }).weight.shape).toEqual([20, 30]);
  });
});

describe("onehotbatch and onecold", () => {
  test("onehotbatch gives a Float32 [nclasses, n] matrix with one 1 per column", () => {
    const y = onehotbatch(["b", "a", "c", "a"], ["a", "b", "c"]);
    expect(y.shape).toEqual([3, 4]);
    expect(y.data).toBeInstanceOf(Float32Array);
    expect(toFlatArray(y)).toEqual([0, 1, 0, 1, 0, 0, 0, 0, 1, 1, 0, 0]);
  });

  test("numeric labels from an ndarray; an unknown label is an ArgumentError unless a default is given", () => {
    const labels = f32Array([3, 0, 9], [3]);
    const classes = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    expect(onecold(onehotbatch(labels, classes), classes)).toEqual([3, 0, 9]);
    expect(() => onehotbatch([1, 7], [0, 1, 2])).toThrow(ArgumentError);
    expect(() => onehotbatch([1, 7], [0, 1, 2])).toThrow("onehotbatch: label 7 (position 2) is not among the 3 classes");
    expect(toFlatArray(onehotbatch([1, 7], [0, 1, 2], 0))).toEqual([0, 1, 0, 1, 0, 0]);
  });

  test("onecold picks each column's largest entry; labels default to 1..n as in Julia; the first NaN wins", () => {
    const scores = f64Array([0.1, 0.7, 0.2, 5, -1, 5, 0, NaN, 3], [3, 3]);
    expect(onecold(scores)).toEqual([2, 1, 2]);
    expect(onecold(Tensor.concrete(scores), ["cat", "dog", "eel"])).toEqual(["dog", "cat", "dog"]);
    expect(onecold(f64Array([1, 3, 2], [3]))).toEqual([2]);
  });

  test("onecold of an empty batch, or with the wrong number of labels, is a ShapeError", () => {
    expect(() => onecold(f32Array([], [10, 0]))).toThrow(ShapeError);
    expect(() => onecold(f32Array([], [10, 0]))).toThrow("onecold: empty batch: y has size [10, 0]");
    expect(() => onecold(f32Array([], [0]))).toThrow(ShapeError);
    expect(() => onecold(f32Array([1, 2], [2]), ["a"])).toThrow("onecold: 1 labels for 2 rows of y (size [2])");
  });
});

describe("DataLoader", () => {
  /** Features [2, n] whose column j is (j, 10j), and labels y = 100j, so every batch can be checked for alignment. */
  const dataset = (n: number) => ({
    X: f32Array(Array.from({ length: n }, (_, j) => [j, 10 * j]).flat(), [2, n]),
    y: f32Array(Array.from({ length: n }, (_, j) => 100 * j), [n]),
  });
  const ids = (batch: NdArray) => toFlatArray(batch).filter((_, i) => i % 2 === 0);

  test("batches along the last dimension, in order, the last one partial", () => {
    const { X } = dataset(10);
    const loader = DataLoader(X, { batchsize: 3 });
    const batches = [...loader];
    expect(loader.length).toBe(4);
    expect(batches.map((b) => b.shape)).toEqual([[2, 3], [2, 3], [2, 3], [2, 1]]);
    expect(batches.map(ids)).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8], [9]]);
    expect(toFlatArray(batches[3]!)).toEqual([9, 90]);
  });

  test("partial = false drops the short last batch; fewer observations than batchsize; none at all", () => {
    expect([...DataLoader(dataset(10).X, { batchsize: 3, partial: false })].map(ids)).toEqual([[0, 1, 2], [3, 4, 5], [6, 7, 8]]);
    expect([...DataLoader(dataset(2).X, { batchsize: 5 })].map(ids)).toEqual([[0, 1]]);
    expect([...DataLoader(dataset(2).X, { batchsize: 5, partial: false })]).toEqual([]);
    expect([...DataLoader(dataset(0).X, { batchsize: 2 })]).toEqual([]);
    expect([...DataLoader(dataset(1).X)].map(ids)).toEqual([[0]]);
  });

  test("tuple data yields tuples, named data yields objects, and x stays aligned with y under shuffling", () => {
    const { X, y } = dataset(23);
    for (const [xb, yb] of DataLoader([X, y], { batchsize: 4, shuffle: true, rng: new RandomGenerator(1) })) {
      expect(toFlatArray(yb!)).toEqual(ids(xb!).map((j) => 100 * j));
    }
    for (const batch of DataLoader({ X, y }, { batchsize: 5 })) {
      expect(Object.keys(batch)).toEqual(["X", "y"]);
      expect(toFlatArray(batch.y)).toEqual(ids(batch.X).map((j) => 100 * j));
    }
  });

  test("each pass sees every observation once; shuffling reorders on every pass, reproducibly for a seeded generator", () => {
    const { X } = dataset(50);
    const pass = (loader: Iterable<NdArray>) => [...loader].flatMap(ids);
    const loader = DataLoader(X, { batchsize: 8, shuffle: true, rng: new RandomGenerator(9) });
    const first = pass(loader), second = pass(loader);
    const everyone = Array.from({ length: 50 }, (_, j) => j);
    expect([...first].sort((a, b) => a - b)).toEqual(everyone);
    expect([...second].sort((a, b) => a - b)).toEqual(everyone);
    expect(first).not.toEqual(second);
    expect(first).not.toEqual(everyone);
    expect(pass(DataLoader(X, { batchsize: 8, shuffle: true, rng: new RandomGenerator(9) }))).toEqual(first);
  });

  test("batches are copies: the data is not modified", () => {
    const { X } = dataset(4);
    const before = toFlatArray(X);
    for (const b of DataLoader(X, { batchsize: 2, shuffle: true })) b.data.fill(-1);
    expect(toFlatArray(X)).toEqual(before);
  });

  test("batchsize 0 is an ArgumentError; mismatched last dimensions are a ShapeError naming both sizes", () => {
    const { X, y } = dataset(10);
    expect(() => DataLoader(X, { batchsize: 0 })).toThrow(ArgumentError);
    expect(() => DataLoader(X, { batchsize: 0 })).toThrow("DataLoader: batchsize must be a positive integer, got 0");
    expect(() => DataLoader(X, { batchsize: 2.5 })).toThrow(ArgumentError);
    const short = f32Array([1, 2, 3], [3]);
    expect(() => DataLoader([X, short])).toThrow(ShapeError);
    expect(() => DataLoader({ X, y: short })).toThrow("DataLoader: all arrays need the same last dimension (the number of observations): data[X] has size [2, 10], data[y] has size [3]");
    expect(() => new DataLoader([X, y], { batchsize: 3 })).not.toThrow();
  });
});
