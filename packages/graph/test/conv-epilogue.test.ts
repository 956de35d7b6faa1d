// Conv-layer fusion (exec/conv-epilogue.ts): act(conv(x, w) .+ b) with a per-channel bias runs as one
// conv kernel that adds the bias and applies the activation as it finishes each chunk
// (kernels/conv-bias.ts). The bias loop is checked element for element against a float64 loop written
// here (Wasm SIMD with vector and scalar tails, and the JS loop in float32 and float64); fused plans are
// checked against a float64 convolution reference plus bias, and bit for bit against the unfused plan,
// for every kernel configuration (groups, wide outputs, staged chunks, 1-d to 3-d, stride, padding,
// dilation, cross-correlation, float64, no Wasm heap).
import { trace, compile, conv, add, relu, tanh, mul, reshape, setWasmHeap, setConvFusion, allocationCount, type Tensor, type NdArray } from "@tsflux/graph";
import { mulberry32, randomArray, seedFrom } from "@tsflux/graph/testing";
import * as w from "../src/kernels/wasm/index";
import { addChannelBias } from "../src/kernels/conv-bias";
import { convRef, type ConvSpec } from "./conv-reference";

const rng = mulberry32(seedFrom("conv-epilogue.test"));
const { abs, max, fround } = Math;
type Act = "identity" | "relu";
const ACTS: Act[] = ["identity", "relu"];
const actOf = (act: Act, v: number): number => (act === "relu" && v < 0 ? 0 : v);

/** Plane values with the edge cases of the add and relu: -0, NaN, a tiny negative that rounds to -0 with the bias. */
function planes(n: number): Float32Array {
  const y = Float32Array.from({ length: n }, () => 4 * rng() - 2);
  const specials = [-0, NaN, -1e-45, 0, 1.5];
  for (let i = 0; i < n && i < specials.length * 3; i += 3) y[i] = specials[i / 3]!;
  return y;
}

describe("addChannelBias: y[c*P + p] = act(y + b[c])", () => {
  const PLANES = [1, 2, 3, 4, 5, 7, 8, 9, 13, 64];
  const check = (act: Act, y0: Float32Array | Float64Array, b: Float32Array | Float64Array, got: ArrayLike<number>, P: number, f32: boolean) => {
    for (let i = 0; i < y0.length; i++) {
      const sum = y0[i]! + b[Math.floor(i / P)]!; // float64
      const want = actOf(act, f32 ? fround(sum) : sum);
      if (!Object.is(got[i], want)) throw new Error(`${act} P=${P}: element ${i} got ${got[i]} want ${want}`);
    }
  };

  for (const act of ACTS) {
    test(`${act}: Wasm SIMD on the heap, vector and scalar tails`, () => {
      for (const P of PLANES) {
        for (const C of [1, 3]) {
          const y0 = planes(C * P), b = Float32Array.from({ length: C }, (_, c) => (c === 0 ? 1e-45 : 2 * rng() - 1));
          const [py, pb] = [w.wasmAlloc(4 * (C * P + 2)), w.wasmAlloc(4 * C)];
          try {
            w.wasmWriteF32(py, y0);
            w.wasmWriteF32(pb, b);
            const heap = w.wasmF32();
            // the planes after the first element, so the vector loads are not 16-byte aligned
            heap[py / 4 + C * P] = 99;
            addChannelBias(heap, py / 4, P, C, { data: heap, offset: pb / 4, act }, pb / 4);
            check(act, y0, b, w.wasmReadF32(py, C * P), P, true);
            expect(heap[py / 4 + C * P]).toBe(99);
          } finally {
            w.wasmFree(py);
            w.wasmFree(pb);
          }
        }
      }
    });

    test(`${act}: the JS loop, float32 off the heap and float64`, () => {
      for (const P of PLANES) {
        const y32 = planes(2 * P), b32 = Float32Array.of(0.25, -3);
        const got32 = Float32Array.from([7, ...y32]);
        addChannelBias(got32, 1, P, 2, { data: Float32Array.from([5, ...b32]), offset: 1, act }, 1);
        check(act, y32, b32, got32.subarray(1), P, true);
        const y64 = Float64Array.from(y32, (v) => v + 1e-9), b64 = Float64Array.of(0.1, -0.7);
        const got64 = Float64Array.from(y64);
        addChannelBias(got64, 0, P, 2, { data: b64, offset: 0, act }, 0);
        check(act, y64, b64, got64, P, false);
      }
    });
  }
});

interface Case { label: string; x: number[]; w: number[]; spec: ConvSpec }

/** Per-kernel configurations: chunk of one sample in place, staged chunks of several samples, wide outputs, groups. */
const CASES: Case[] = [
  { label: "2-d, one sample per chunk, in place", x: [14, 12, 2, 3], w: [5, 5, 2, 6], spec: { stride: [1, 1], pad: [0, 0, 0, 0], dilation: [1, 1], groups: 1, flip: true } },
  { label: "2-d, staged chunks of several samples, groups 2, stride, pad", x: [5, 6, 4, 5], w: [3, 2, 2, 6], spec: { stride: [2, 1], pad: [1, 0, 1, 1], dilation: [1, 1], groups: 2, flip: true } },
  { label: "2-d, wide output (transposed product), cross-correlation", x: [4, 4, 3, 2], w: [3, 3, 3, 40], spec: { stride: [1, 1], pad: [1, 1, 1, 1], dilation: [1, 1], groups: 1, flip: false } },
  { label: "1-d, dilation 2, odd channels", x: [9, 3, 2], w: [3, 3, 5], spec: { stride: [1], pad: [2, 1], dilation: [2], groups: 1, flip: true } },
  { label: "3-d, one output channel", x: [4, 3, 3, 2, 2], w: [2, 2, 2, 2, 1], spec: { stride: [1, 1, 1], pad: [0, 0, 0, 0, 0, 0], dilation: [1, 1, 1], groups: 1, flip: true } },
];

const opts = (s: ConvSpec) => ({ stride: s.stride, pad: s.pad, dilation: s.dilation, groups: s.groups, flip: s.flip });
const biasShape = (x: number[], cout: number) => x.map((_, i) => (i === x.length - 2 ? cout : 1));

/** The Conv layer's forward: act(conv(x, w) .+ reshape(b)). */
function layer(c: Case, act: Act) {
  const cout = c.w[c.w.length - 1]!;
  return (x: Tensor, wt: Tensor, b: Tensor) => {
    const z = add(conv(x, wt, opts(c.spec)), reshape(b, biasShape(c.x, cout)));
    return act === "relu" ? relu(z) : z;
  };
}

function checkCase(c: Case, act: Act, dtype: "f32" | "f64"): void {
  const cout = c.w[c.w.length - 1]!;
  const inputs = [randomArray(rng, c.x, dtype, "unit"), randomArray(rng, c.w, dtype, "unit"), randomArray(rng, [cout], dtype, "unit")];
  const graph = trace(layer(c, act), ...inputs);
  const fusedPlan = compile(graph);
  const old = setConvFusion(false);
  const unfusedPlan = compile(graph);
  setConvFusion(old);
  const kinds = (p: typeof fusedPlan) => p.steps.map((s) => (s.kind === "node" ? s.node.op : s.kind));
  expect(kinds(fusedPlan)).toEqual(["gemmEpilogue"]);
  expect(kinds(unfusedPlan)).toContain("conv");
  const fused = fusedPlan.run(...inputs)[0]!.data, unfused = unfusedPlan.run(...inputs)[0]!.data;
  // float64 reference: the conv as a plain loop, the bias per channel, the activation
  const y = convRef({ shape: c.x, data: [...inputs[0]!.data] }, { shape: c.w, data: [...inputs[1]!.data] }, c.spec);
  const P = y.shape.slice(0, -2).reduce((a, d) => a * d, 1);
  const mag = convRef({ shape: c.x, data: [...inputs[0]!.data].map(abs) }, { shape: c.w, data: [...inputs[1]!.data].map(abs) }, c.spec);
  let worst = 0;
  expect(fused.length).toBe(y.data.length);
  for (let i = 0; i < y.data.length; i++) {
    if (!Object.is(fused[i], unfused[i])) throw new Error(`${c.label} ${act} ${dtype}: element ${i} fused ${fused[i]} != unfused ${unfused[i]}`);
    const bc = inputs[2]!.data[Math.floor(i / P) % cout]!;
    worst = max(worst, abs(fused[i]! - actOf(act, y.data[i]! + bc)) / (mag.data[i]! + abs(bc) + 1e-30));
  }
  if (!(worst <= (dtype === "f32" ? 1e-5 : 1e-12))) throw new Error(`${c.label} ${act} ${dtype}: relative error ${worst} against float64`);
  fusedPlan.dispose();
  unfusedPlan.dispose();
}

describe("Conv fusion: conv + per-channel bias (+ relu) as one conv kernel with the bias in its store", () => {
  for (const act of ACTS) {
    for (const c of CASES) {
      test(`${act}, ${c.label}: float32 and float64, bit-identical to the unfused plan, close to float64`, () => {
        checkCase(c, act, "f32");
        checkCase(c, act, "f64");
      });
    }
    test(`${act}: plain JS path (no Wasm heap)`, () => {
      const old = setWasmHeap(false);
      try {
        for (const c of CASES) checkCase(c, act, "f32");
      } finally {
        setWasmHeap(old);
      }
    });
  }

  test("not fused: a second reader of the conv, another activation, a bias over more than the channels, fusion off", () => {
    const c = CASES[0]!, cout = 6;
    const [x, wt, b] = [randomArray(rng, c.x, "f32", "unit"), randomArray(rng, c.w, "f32", "unit"), randomArray(rng, [cout], "f32", "unit")];
    const full = randomArray(rng, [10, 8, 6, 1], "f32", "unit");
    const kinds = (f: (...t: Tensor[]) => Tensor, ...args: NdArray[]) => compile(trace(f, ...args)).steps.map((s) => s.kind);
    const bias = (bb: Tensor) => reshape(bb, [1, 1, cout, 1]);
    expect(kinds((xx, ww, bb) => relu(add(conv(xx, ww), bias(bb))), x, wt, b)).toEqual(["gemmEpilogue"]);
    expect(kinds((xx, ww, bb) => { const y = conv(xx, ww); return mul(relu(add(y, bias(bb))), y); }, x, wt, b)).not.toContain("gemmEpilogue");
    expect(kinds((xx, ww, bb) => tanh(add(conv(xx, ww), bias(bb))), x, wt, b)).not.toContain("gemmEpilogue");
    expect(kinds((xx, ww, ff) => relu(add(conv(xx, ww), ff)), x, wt, full)).not.toContain("gemmEpilogue");
    const old = setConvFusion(false);
    try {
      expect(kinds((xx, ww, bb) => relu(add(conv(xx, ww), bias(bb))), x, wt, b)).not.toContain("gemmEpilogue");
    } finally {
      setConvFusion(old);
    }
  });

  test("a warm run of a fused plan allocates nothing", () => {
    const c = CASES[1]!;
    const inputs = [randomArray(rng, c.x, "f32", "unit"), randomArray(rng, c.w, "f32", "unit"), randomArray(rng, [6], "f32", "unit")];
    const plan = compile(trace(layer(c, "relu"), ...inputs));
    inputs.forEach((a, i) => plan.bind(i, a));
    plan.execute();
    const before = allocationCount();
    for (let i = 0; i < 3; i++) plan.execute();
    expect(allocationCount()).toBe(before);
    plan.dispose();
  });
});
