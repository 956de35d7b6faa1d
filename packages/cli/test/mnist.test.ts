/** The MNIST digits: shapes, one-hot labels, disjoint splits, reproducible shuffles. */
import { RandomGenerator, seed, toFlatArray, type NdArray } from "@tsflux/graph";
import { ExperimentError, mnist, mnistSize } from "@tsflux/cli";

/** Each column of a [rows, n] array as a string, to compare images. */
const columns = (a: NdArray) => {
  const [rows, n] = a.shape as [number, number];
  const flat = toFlatArray(a);
  return Array.from({ length: n }, (_, j) => flat.slice(j * rows, (j + 1) * rows).join(","));
};

test("the package holds 10,000 digits", () => {
  expect(mnistSize()).toBe(10000);
});

test("x is Float32 [784, n] in [0, 1]; y is one-hot Float32 [10, n]", () => {
  const { train, test } = mnist({ train: 40, test: 20, rng: new RandomGenerator(1) });
  expect(train.x.shape).toEqual([784, 40]);
  expect(train.x.data).toBeInstanceOf(Float32Array);
  expect(test.y.shape).toEqual([10, 20]);
  const pixels = toFlatArray(train.x);
  expect(Math.min(...pixels)).toBe(0);
  expect(Math.max(...pixels)).toBeLessThanOrEqual(1);
  for (const column of columns(train.y)) {
    const v = column.split(",").map(Number);
    expect(v.filter((x) => x === 1)).toHaveLength(1);
    expect(v.filter((x) => x === 0)).toHaveLength(9);
  }
  expect(new Set(columns(train.y)).size).toBeGreaterThan(5); // several classes, not one
});

test("the test digits are not among the training digits", () => {
  const { train, test } = mnist({ train: 3000, test: 1000, rng: new RandomGenerator(2) });
  const trained = new Set(columns(train.x));
  expect(columns(test.x).filter((c) => trained.has(c))).toHaveLength(0);
});

test("the same seed gives the same split; another seed another", () => {
  seed(7);
  const a = mnist({ train: 10, test: 10 });
  seed(7);
  const b = mnist({ train: 10, test: 10 });
  seed(8);
  const c = mnist({ train: 10, test: 10 });
  expect(toFlatArray(a.train.y)).toEqual(toFlatArray(b.train.y));
  expect(toFlatArray(a.train.x)).not.toEqual(toFlatArray(c.train.x));
});

test("asking for more digits than the package holds, or none, is an ExperimentError", () => {
  expect(() => mnist({ train: 9500, test: 1000 })).toThrow(new ExperimentError("mnist: the package holds 10000 digits, fewer than train + test = 10500"));
  expect(() => mnist({ train: 0, test: 10 })).toThrow(new ExperimentError("mnist: train must be a positive whole number of digits, got 0"));
});
