/** The convolutional layers' forward values against hand computation and naive loops, outputsize, and errors. */
import { ShapeError, Tensor, toFlatArray, wrapColMajor, type NdArray } from "@tsflux/graph";
import { expectClose, mulberry32, randomArray, seedFrom } from "@tsflux/graph/testing";
import {
  AdaptiveMeanPool, BatchNorm, Chain, Conv, ConvTranspose, CrossCor, Dense, GlobalMeanPool, GroupNorm, InstanceNorm, MaxPool, PixelShuffle,
  Upsample, f64, flatten, identity, loadmodel, outputsize, relu, state,
} from "@tsflux/layers";
import { f64Array } from "./params";

const rng = mulberry32(seedFrom("conv-layers.test"));
const values = (t: Tensor | NdArray) => toFlatArray(t instanceof Tensor ? t.toNdarray() : t);
const x4 = f64Array([1, 2, 3, 4], [4, 1, 1]);

test("Conv flips the kernel (true convolution) and CrossCor does not; the bias is per output channel", () => {
  const w = f64Array([1, 2, 3], [3, 1, 1]);
  // Conv: y[o] = Σ_k x[o+k] w[K-k]: 1·3 + 2·2 + 3·1 = 10, 2·3 + 3·2 + 4·1 = 16
  expect(values(Conv(w, f64Array([0.5], [1])).forward(x4))).toEqual([10.5, 16.5]);
  // CrossCor: y[o] = Σ_k x[o+k] w[k]: 1 + 4 + 9 = 14, 2 + 6 + 12 = 20
  expect(values(CrossCor(w, false).forward(x4))).toEqual([14, 20]);
});

test("ConvTranspose is the adjoint of the Conv with the same weight: <T(x), y> = <x, C(y)>", () => {
  const w = randomArray(rng, [3, 3, 4, 2], "f64"); // ConvTranspose 2 => 4: weight [k, out, in]
  const opts = { stride: 2, pad: 1 } as const;
  const ct = ConvTranspose(w, false, identity, { ...opts, outpad: 1 });
  const c = Conv(w, false, identity, opts);
  const x = randomArray(rng, [3, 3, 2, 1], "f64");
  const tx = ct.forward(x);
  expect([...tx.shape]).toEqual([6, 6, 4, 1]); // (3-1)·2 + 1 + 2 - 2 + 1
  const y = randomArray(rng, [6, 6, 4, 1], "f64");
  const dot = (a: number[], b: number[]) => a.reduce((s, v, i) => s + v * b[i]!, 0);
  expectClose(dot(values(tx), values(y)), dot(values(x), values(c.forward(y))), { rtol: 1e-12, atol: 1e-12 });
});

test("AdaptiveMeanPool uses Flux's windows: in 5, out 3 gives windows 1:3, 2:4, 3:5", () => {
  const x = f64Array([1, 2, 4, 8, 16], [5, 1, 1]);
  expectClose(AdaptiveMeanPool([3]).forward(x), [7 / 3, 14 / 3, 28 / 3], { rtol: 1e-12, atol: 0 });
});

test("InstanceNorm and GroupNorm normalise each sample over the spatial dims (and the group's channels)", () => {
  const x = randomArray(rng, [3, 2, 4, 2], "f64");
  const v = values(x);
  const at = (w: number, h: number, c: number, n: number) => v[w + 3 * (h + 2 * (c + 4 * n))]!;
  const normalised = (groupOf: (c: number) => number, groups: number) => {
    const out: number[] = new Array(v.length);
    for (let n = 0; n < 2; n++) for (let g = 0; g < groups; g++) {
      const idx: [number, number, number][] = [];
      for (let c = 0; c < 4; c++) if (groupOf(c) === g) for (let h = 0; h < 2; h++) for (let w = 0; w < 3; w++) idx.push([w, h, c]);
      const xs = idx.map(([w, h, c]) => at(w, h, c, n));
      const m = xs.reduce((a, b) => a + b, 0) / xs.length, s2 = xs.reduce((a, b) => a + (b - m) ** 2, 0) / xs.length;
      idx.forEach(([w, h, c], i) => (out[w + 3 * (h + 2 * (c + 4 * n))] = (xs[i]! - m) / Math.sqrt(s2 + 1e-5)));
    }
    return out;
  };
  expectClose(InstanceNorm(4).forward(x), normalised((c) => c, 4), { rtol: 1e-10, atol: 1e-10 });
  const gn = GroupNorm(4, 2);
  gn.beta = f64Array([0, 0, 0, 0], [4]);
  gn.gamma = f64Array([1, 1, 1, 1], [4]);
  expectClose(gn.forward(x), normalised((c) => Math.floor(c / 2), 2), { rtol: 1e-10, atol: 1e-10 });
});

test("Upsample(:nearest, size) repeats pixels; flatten keeps the last dim", () => {
  const x = f64Array([1, 2, 3, 4], [2, 2, 1, 1]);
  expect(values(Upsample({ size: [4, 2] }).forward(x))).toEqual([1, 1, 2, 2, 3, 3, 4, 4]);
  expect([...flatten(randomArray(rng, [2, 3, 4, 5], "f64")).shape]).toEqual([24, 5]);
});

describe("outputsize", () => {
  const lenet = () => Chain(
    Conv([5, 5], 1, 6, relu), MaxPool([2, 2]), Conv([5, 5], 6, 16, relu), MaxPool([2, 2]), flatten,
    Dense(256, 120, relu), Dense(120, 84, relu), Dense(84, 10),
  );

  test("LeNet-5 on 28x28x1 gives [10, 1]; padbatch appends the batch dim; a list is a Chain", () => {
    expect(outputsize(lenet(), [28, 28, 1, 1])).toEqual([10, 1]);
    expect(outputsize(lenet(), [28, 28, 1], { padbatch: true })).toEqual([10, 1]);
    expect(outputsize([Conv([3, 3], 3, 8, relu, { pad: 1, stride: 2 }), GlobalMeanPool()], [32, 32, 3, 4])).toEqual([1, 1, 8, 4]);
  });

  test("size errors surface as in a real call, naming the layer", () => {
    const run = () => outputsize(Conv([3, 3], 3, 16), [10, 10, 7, 64]);
    expect(run).toThrow(ShapeError);
    expect(run).toThrow("Conv((3, 3), 3 => 16) expects size(input, 3) == 3, but got x of size [10, 10, 7, 64]");
  });
});

test("an input of the wrong rank or too small for the kernel is a ShapeError naming the sizes", () => {
  expect(() => Conv([3, 3], 1, 2).forward(wrapColMajor(new Float32Array(9), [3, 3, 1]))).toThrow("expects size(input, 3) == 1");
  expect(() => Conv([5, 5], 1, 2).forward(wrapColMajor(new Float32Array(9), [3, 3, 1, 1]))).toThrow("kernel * dilation (5 * 1) exceeds the padded input (3 + 0 + 0)");
});

describe("bad arguments name the layer", () => {
  const x = wrapColMajor(new Float32Array(4 * 4 * 3 * 2), [4, 4, 3, 2]);
  test.each([
    ["Conv groups", () => Conv([3, 3], 4, 6, identity, { groups: 4 }), "Conv: groups = 4 must divide both in = 4 and out = 6 channels"],
    ["Conv kernel as a number", () => Conv(3 as never, 1, 2), "Conv: the kernel size must be a list such as [3, 3], got 3"],
    ["ConvTranspose input channels", () => ConvTranspose([2, 2], 2, 4).forward(x), "ConvTranspose((2, 2), 2 => 4) expects size(input, 3) == 2, but got x of size [4, 4, 3, 2]"],
    ["ConvTranspose outpad", () => ConvTranspose([3, 3], 2, 4, identity, { stride: 2, outpad: 2 }), "ConvTranspose: outpad (2, 2) must be integers from 0 to stride - 1"],
    ["BatchNorm channels", () => BatchNorm(4).forward(x), "BatchNorm(4) expects size(x, 3) == 4 channels, got x of size [4, 4, 3, 2]"],
    ["GroupNorm groups", () => GroupNorm(6, 4), "GroupNorm: the number of groups 4 must divide the number of channels 6"],
    ["Upsample scale and size", () => Upsample({}), "Upsample: give exactly one of scale and size"],
    ["MaxPool rank", () => MaxPool([2]).forward(x), "MaxPool((2,)) expects data [spatial..., C, N] with 1 spatial dims, got x of size [4, 4, 3, 2]"],
    ["PixelShuffle channels", () => PixelShuffle(2).forward(x), "pixelShuffle: the 3 channels of x [4, 4, 3, 2] must be divisible by r^2 = 4"],
  ])("%s", (_what, run, message) => {
    expect(run).toThrow(message);
  });
});

test("state and loadmodel carry the running statistics; f64 converts every array of a conv model", () => {
  const make = () => Chain(Conv([3, 3], 2, 4), BatchNorm(4), InstanceNorm(4), GroupNorm(4, 2), MaxPool([2, 2]), flatten, Dense(16, 2));
  const trained = make();
  trained.layers[1].mu!.data.set([1, 2, 3, 4]);
  trained.layers[1].sigma2!.data.set([5, 6, 7, 8]);
  const fresh = loadmodel(make(), state(trained));
  expect(values(fresh.layers[1].mu!)).toEqual([1, 2, 3, 4]);
  expect(values(fresh.layers[1].sigma2!)).toEqual([5, 6, 7, 8]);
  expect(values(fresh.layers[0].weight)).toEqual(values(trained.layers[0].weight));
  const m64 = f64(trained);
  expect(m64.layers[1].mu!.data).toBeInstanceOf(Float64Array);
  expect([...m64.forward(randomArray(rng, [6, 6, 2, 3], "f64")).shape]).toEqual([2, 3]);
});
