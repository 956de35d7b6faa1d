/**
 * Convolution and pooling beyond the registry sweep: the Float32 WebAssembly GEMM path (heap arrays,
 * sample chunks, groups, two threads) against naive loops and Float64, conv against its two adjoints
 * at that size, max pooling's tie rule, and the resampling functions against naive loops.
 */
import {
  conv, convData, convFilter, maxpool, meanpool, padZeros, upsampleNearest, upsampleLinear, pixelShuffle, vjp, compiled, longLivedZeros, allocData,
  wrapColMajor, toFlatArray, configureWasmThreads, wasmThreadStats, wasmAvailable, Tensor, type NdArray,
} from "@tsflux/graph";
import { expectClose, gradcheck, mulberry32, seedFrom, randomArray } from "@tsflux/graph/testing";
import { convRef, type ConvSpec } from "./conv-reference";
import { flatIndex, multiIndex, size, type Arr } from "./reference";

const rng = mulberry32(seedFrom("conv.test"));
const toArr = (x: NdArray): Arr => ({ shape: [...x.shape], data: toFlatArray(x) });
/** A Float32 array in the WebAssembly heap (where the SIMD GEMM reads it), with random values in [-1, 1]. */
function heapF32(shape: number[]): NdArray {
  const a = longLivedZeros(shape, "f32");
  const data = a.data as Float32Array;
  for (let i = 0; i < data.length; i++) data[i] = Math.fround(2 * rng() - 1);
  return a;
}

/** The ops run through a compiled plan, whose arena is in the heap: the Float32 WebAssembly path. */
type ConvOpts = Parameters<typeof conv>[2];
const planConv = (x: NdArray, w: NdArray, opts: ConvOpts) => compiled((a: Tensor, b: Tensor) => conv(a, b, opts))(x, w);
const planConvData = (dy: NdArray, w: NdArray, size2: number[], opts: ConvOpts) => compiled((a: Tensor, b: Tensor) => convData(a, b, size2, opts))(dy, w);
const planConvFilter = (x: NdArray, dy: NdArray, size2: number[], opts: ConvOpts) => compiled((a: Tensor, b: Tensor) => convFilter(a, b, size2, opts))(x, dy);
const asF64 = (x: NdArray) => wrapColMajor(Float64Array.from(toFlatArray(x)), x.shape);
const dot = (a: Tensor | NdArray, b: Tensor | NdArray) => {
  const [u, v] = [a, b].map((t) => toFlatArray("toNdarray" in t ? t.toNdarray() : t));
  return u!.reduce((s, x, i) => s + x * v![i]!, 0);
};
const optsOf = (s: ConvSpec) => ({ stride: s.stride, pad: s.pad, dilation: s.dilation, groups: s.groups, flip: s.flip });

const LARGE: Array<{ label: string; x: number[]; w: number[]; spec: ConvSpec }> = [
  { label: "LeNet's first layer on a batch of 8 (one sample per chunk)", x: [28, 28, 1, 8], w: [5, 5, 1, 6], spec: { stride: [1, 1], pad: [0, 0, 0, 0], dilation: [1, 1], groups: 1, flip: true } },
  { label: "small images, batch 40 (chunks of 18, 18 and 4 samples)", x: [10, 10, 1, 40], w: [5, 5, 1, 6], spec: { stride: [1, 1], pad: [0, 0, 0, 0], dilation: [1, 1], groups: 1, flip: true } },
  { label: "stride 2, pad 1, 2 groups, cross-correlation", x: [15, 13, 8, 3], w: [3, 3, 4, 6], spec: { stride: [2, 2], pad: [1, 1, 1, 1], dilation: [1, 1], groups: 2, flip: false } },
  { label: "32 output channels per group, 2 groups (the transposed, wide products)", x: [8, 7, 4, 3], w: [3, 3, 2, 64], spec: { stride: [1, 1], pad: [1, 1, 1, 1], dilation: [1, 1], groups: 2, flip: true } },
  { label: "one sample per chunk (the output written in place)", x: [48, 48, 32, 2], w: [3, 3, 32, 8], spec: { stride: [1, 1], pad: [1, 1, 1, 1], dilation: [1, 1], groups: 1, flip: true } },
];

describe.each(LARGE.map((c) => [c.label, c] as const))("Float32 conv in the WebAssembly heap: %s", (_l, c) => {
  const x = heapF32(c.x), w = heapF32(c.w), opts = optsOf(c.spec);
  const y = planConv(x, w, opts);
  const dy = heapF32([...y.shape]);

  test("values against naive loops in Float64", () => {
    if (c.x[0]! > 30) return expectClose(y, conv(asF64(x), asF64(w), opts), { rtol: 1e-4, atol: 1e-4 });
    expectClose(y, convRef(toArr(x), toArr(w), c.spec).data, { rtol: 1e-4, atol: 1e-4 });
  });

  test("<conv(x, w), dy> = <x, ∇conv_data(dy, w)> = <w, ∇conv_filter(x, dy)>", () => {
    const lhs = dot(y, dy);
    expectClose(dot(x, planConvData(dy, w, c.x.slice(0, 2), opts)), lhs, { rtol: 1e-4, atol: 1e-3 });
    expectClose(dot(w, planConvFilter(x, dy, c.w.slice(0, 2), opts)), lhs, { rtol: 1e-4, atol: 1e-3 });
  });

  test("adjoints against Float64", () => {
    const [x64, w64, dy64] = [x, w, dy].map(asF64);
    expectClose(planConvData(dy, w, c.x.slice(0, 2), opts), convData(dy64!, w64!, c.x.slice(0, 2), opts), { rtol: 1e-4, atol: 1e-4 });
    expectClose(planConvFilter(x, dy, c.w.slice(0, 2), opts), convFilter(x64!, dy64!, c.w.slice(0, 2), opts), { rtol: 1e-4, atol: 1e-3 });
  });
});

test("a large conv splits its GEMMs over two threads and agrees with one thread", () => {
  if (!wasmAvailable()) throw new Error("the WebAssembly kernels are missing");
  const x = heapF32([32, 32, 16, 2]), w = heapF32([3, 3, 16, 32]);
  configureWasmThreads({ threads: 1 });
  const one = toFlatArray(planConv(x, w, { pad: 1 }).toNdarray());
  configureWasmThreads({ threads: 2, splitThreshold: 1, sleepingSplitThreshold: 1, callerSteals: false });
  const before = wasmThreadStats().splitCalls;
  try {
    for (let i = 0; i < 3 && wasmThreadStats().splitCalls === before; i++) expectClose(planConv(x, w, { pad: 1 }), one, { rtol: 1e-6, atol: 1e-6 });
    const start = Date.now();
    while (wasmThreadStats().splitCalls === before && Date.now() - start < 2000) expectClose(planConv(x, w, { pad: 1 }), one, { rtol: 1e-6, atol: 1e-6 });
    expect(wasmThreadStats().splitCalls).toBeGreaterThan(before);
  } finally {
    configureWasmThreads({ threads: 2, splitThreshold: 5e5, sleepingSplitThreshold: 8e6, callerSteals: true });
  }
});

test("max pooling sends the gradient of a tied window to its first maximum", () => {
  // 4x2 input, 2x2 windows: window 1 holds (3, 3, 1, 3), window 2 holds (5, 2, 5, 5)
  const x = wrapColMajor(Float64Array.from([3, 3, 5, 2, 1, 3, 5, 5]), [4, 2, 1, 1]);
  expectClose(maxpool(x, [2, 2]), [3, 5], { rtol: 0, atol: 0 });
  const { grads } = vjp((t: Tensor) => maxpool(t, [2, 2]), [x], wrapColMajor(Float64Array.from([10, 20]), [2, 1, 1, 1]));
  expectClose(grads[0]!, [10, 0, 20, 0, 0, 0, 0, 0], { rtol: 0, atol: 0 });
});

test("max pooling skips padding and mean pooling counts it as zeros", () => {
  const x = wrapColMajor(Float64Array.from([-4, -2, -6]), [3, 1, 1]);
  expectClose(maxpool(x, [2], { pad: 1 }), [-4, -2], { rtol: 0, atol: 0 });
  expectClose(meanpool(x, [2], { pad: 1 }), [-2, -4], { rtol: 0, atol: 0 });
});

/** Naive y[i...] = f(output multi-index) over an output shape. */
const build = (shape: number[], f: (idx: number[]) => number): number[] => Array.from({ length: size(shape) }, (_, p) => f(multiIndex(shape, p)));

describe("resampling against naive loops, with gradients against finite differences", () => {
  const x = randomArray(rng, [3, 4, 8, 2], "f64");
  const at = (idx: number[]) => x.data[flatIndex(x.shape, idx)]!;

  test("padZeros with per-side padding", () => {
    const y = padZeros(x, [1, 2, 0, 1]);
    expect([...y.shape]).toEqual([6, 5, 8, 2]);
    expectClose(y, build([6, 5, 8, 2], ([w, h, c, n]) => (w! >= 1 && w! < 4 && h! < 4 ? at([w! - 1, h!, c!, n!]) : 0)), { rtol: 0, atol: 0 });
    gradcheck((t: Tensor) => padZeros(t, [1, 2, 0, 1]), [x]);
  });

  test("upsampleNearest repeats each pixel", () => {
    const y = upsampleNearest(x, [2, 3]);
    expectClose(y, build([6, 12, 8, 2], ([w, h, c, n]) => at([Math.floor(w! / 2), Math.floor(h! / 3), c!, n!])), { rtol: 0, atol: 0 });
    gradcheck((t: Tensor) => upsampleNearest(t, [2, 3]), [x]);
  });

  test("upsampleLinear with aligned corners (NNlib's upsample_bilinear)", () => {
    const lerp = (o: number, n: number, out: number): [number, number, number] => {
      const real = out > 1 ? (o * (n - 1)) / (out - 1) : 0, i0 = Math.floor(real);
      return [i0, Math.min(i0 + 1, n - 1), real - i0];
    };
    const y = upsampleLinear(x, { size: [5, 7] });
    expectClose(y, build([5, 7, 8, 2], ([w, h, c, n]) => {
      const [w0, w1, lw] = lerp(w!, 3, 5), [h0, h1, lh] = lerp(h!, 4, 7);
      const row = (hh: number) => (1 - lw) * at([w0, hh, c!, n!]) + lw * at([w1, hh, c!, n!]);
      return (1 - lh) * row(h0) + lh * row(h1);
    }), { rtol: 1e-12, atol: 1e-12 });
    gradcheck((t: Tensor) => upsampleLinear(t, { scale: 2 }), [x]);
  });

  test("pixelShuffle: y[(w-1)r+i, (h-1)r+j, c] = x[w, h, i + r(j-1) + r²(c-1)]", () => {
    const y = pixelShuffle(x, 2);
    expectClose(y, build([6, 8, 2, 2], ([w, h, c, n]) => at([Math.floor(w! / 2), Math.floor(h! / 2), (w! % 2) + 2 * (h! % 2) + 4 * c!, n!])), { rtol: 0, atol: 0 });
    gradcheck((t: Tensor) => pixelShuffle(t, 2), [x]);
  });
});

describe("bad input is a ShapeError naming the op and the shapes", () => {
  const x = randomArray(rng, [6, 6, 4, 2], "f64");
  test.each([
    ["channels", () => conv(x, randomArray(rng, [3, 3, 3, 2], "f64")), "conv: x [6, 6, 4, 2] has 4 channels but w [3, 3, 3, 2] expects 3"],
    ["groups", () => conv(x, randomArray(rng, [3, 3, 2, 3], "f64"), { groups: 2 }), "conv: groups = 2 must divide the output channels 3"],
    ["rank", () => conv(x, randomArray(rng, [3, 4, 2], "f64")), "conv: expected data [spatial..., C, N] with 1 to 3 spatial dims and a filter of the same rank"],
    ["padding", () => conv(x, randomArray(rng, [3, 3, 4, 2], "f64"), { pad: [1, 1, 1] }), "conv: padding of 3 entries, should be either 2 or 4"],
    ["kernel too large", () => conv(x, randomArray(rng, [7, 3, 4, 2], "f64")), "conv: kernel * dilation (7 * 1) exceeds the padded input (6 + 0 + 0) in spatial dim 1"],
    ["adjoint shape", () => convData(randomArray(rng, [3, 3, 2, 2], "f64"), randomArray(rng, [3, 3, 4, 2], "f64"), [6, 6]), "convData: dy [3, 3, 2, 2] is not the shape [4, 4, 2, 2]"],
    ["pool window", () => maxpool(x, [2]), "maxpool: window (2) must be 2 positive integers for data [6, 6, 4, 2]"],
    ["pixelShuffle", () => pixelShuffle(x, 3), "pixelShuffle: the 4 channels of x [6, 6, 4, 2] must be divisible by r^2 = 9"],
  ])("%s", (_what, run, message) => {
    expect(run).toThrow(message);
  });
});

describe("Float32 pooling in the WebAssembly heap against Float64", () => {
  const x = heapF32([9, 8, 3, 2]);
  const dyShape = [5, 8, 3, 2];
  const dy = heapF32(dyShape);
  const opts = { stride: [2, 1], pad: [1, 1, 0, 1] };
  test.each([["maxpool", maxpool], ["meanpool", meanpool]] as const)("%s: values and the gradient", (_name, pool) => {
    const f = (t: Tensor) => pool(t, [3, 2], opts);
    expect([...f(Tensor.concrete(x)).shape]).toEqual(dyShape);
    expectClose(f(Tensor.concrete(x)), f(Tensor.concrete(asF64(x))), { rtol: 1e-6, atol: 1e-6 });
    expectClose(vjp(f, [x], dy).grads[0]!, vjp(f, [asF64(x)], asF64(dy)).grads[0]!, { rtol: 1e-6, atol: 1e-6 });
  });

  test("a tied window sends the gradient to its first maximum", () => {
    const t = wrapColMajor(allocData("f32", 8), [4, 2, 1, 1]);
    (t.data as Float32Array).set([3, 3, 5, 2, 1, 3, 5, 5]);
    const { grads } = vjp((v: Tensor) => maxpool(v, [2, 2]), [t], wrapColMajor(Float32Array.from([10, 20]), [2, 1, 1, 1]));
    expectClose(grads[0]!, [10, 0, 20, 0, 0, 0, 0, 0], { rtol: 0, atol: 0 });
  });
});
