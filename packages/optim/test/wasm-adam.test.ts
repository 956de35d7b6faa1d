/**
 * Float32 Adam on arrays in the WebAssembly heap runs the SIMD kernel (Float32 arithmetic); it must
 * follow the same Float64 reference as the JS loop, and agree with the JS loop on JS-heap arrays.
 */
import { longLivedZeros, usingWasmHeap, heapOffset, toFlatArray, wrapColMajor, type NdArray } from "@tsflux/graph";
import { Adam, setup, update } from "@tsflux/optim";
import { refAdam } from "./reference";
import { rng } from "./helpers";

const n = 37; // not a multiple of 4: the vector loop and the scalar tail both run

/** A Float32 array in the WebAssembly heap (long-lived, as parameters, gradients and state are). */
function heapArray(values: readonly number[]): NdArray {
  const a = longLivedZeros([values.length], "f32");
  (a.data as Float32Array).set(values);
  return a;
}

test("the WebAssembly heap is in use, and these tests' arrays are in it", () => {
  expect(usingWasmHeap()).toBe(true);
  expect(heapOffset(heapArray([1, 2]).data, 0)).toBeGreaterThanOrEqual(0);
});

test("Adam in the WebAssembly heap follows the Float64 reference and the JS loop, step by step", () => {
  const r = rng(5);
  const x0 = Array.from({ length: n }, () => r() * 2 - 1);
  const inHeap = { w: heapArray(x0) }, inJs = { w: wrapColMajor(Float32Array.from(x0), [n]) };
  const rule = Adam(0.01, [0.8, 0.95], 1e-6);
  const [sHeap, sJs] = [setup(rule, inHeap), setup(rule, inJs)];
  const ref = refAdam(0.01, [0.8, 0.95], 1e-6);
  const refState = ref.init(x0);
  let xRef = [...x0];
  for (let step = 1; step <= 9; step++) {
    const g = Array.from({ length: n }, () => r() - 0.5);
    update(sHeap, inHeap, { w: heapArray(g) });
    update(sJs, inJs, { w: wrapColMajor(Float32Array.from(g), [n]) });
    const d = ref.step(refState, xRef, g.map(Math.fround))!;
    xRef = xRef.map((v, i) => v - d[i]!);
    const heap = toFlatArray(inHeap.w), js = toFlatArray(inJs.w);
    heap.forEach((v, i) => {
      expect(Math.abs(v - xRef[i]!)).toBeLessThanOrEqual(3e-6 * Math.abs(xRef[i]!) + 3e-6);
      expect(Math.abs(v - js[i]!)).toBeLessThanOrEqual(2e-6 * Math.abs(js[i]!) + 1e-7);
    });
  }
});

test("tiny and zero gradients keep the moments out of the subnormal range, and x follows the Float64 reference", () => {
  const FLT_MIN = 2 ** -126;
  const subnormal = (v: number) => v !== 0 && Math.abs(v) < FLT_MIN;
  // gradients from ordinary down to 1e-30 (their squares far below FLT_MIN), zeros, and a sign mix
  const gs = [0.3, -1e-3, 1e-12, -1e-19, 1e-20, 3e-25, -1e-30, 0, 0, 2e-18, -4e-18, 1e-17, 0.5, 0, -1e-21, 7e-19, 0];
  const x0 = gs.map((_, i) => (i % 3) - 1 + 0.25 * i);
  const model = { w: heapArray(x0) };
  const rule = Adam(0.01, [0.9, 0.999], 1e-8);
  const state = setup(rule, model);
  const ref = refAdam(0.01, [0.9, 0.999], 1e-8), refState = ref.init(x0);
  let xRef = [...x0];
  for (let step = 1; step <= 60; step++) {
    const g = gs.map((v, i) => (step > 30 && i % 2 === 0 ? 0 : v)); // half the units die after 30 steps
    update(state, model, { w: heapArray(g) });
    const d = ref.step(refState, xRef, g.map(Math.fround))!;
    xRef = xRef.map((v, i) => v - d[i]!);
  }
  toFlatArray(model.w).forEach((v, i) => expect(Math.abs(v - xRef[i]!)).toBeLessThanOrEqual(3e-6 * Math.abs(xRef[i]!) + 3e-6));
  const moments = state.w.state as { mt: NdArray; vt: NdArray };
  const vt = toFlatArray(moments.vt);
  expect(vt.filter(subnormal)).toEqual([]);
  vt.forEach((v) => expect(v).toBeGreaterThanOrEqual(FLT_MIN)); // the floor that keeps v normal
  expect(toFlatArray(moments.mt).filter(subnormal)).toEqual([]);
});

test("a NaN gradient still makes the moments and the parameter NaN", () => {
  const model = { w: heapArray([1, 2, 3, 4, 5]) };
  const state = setup(Adam(), model);
  update(state, model, { w: heapArray([0.1, NaN, 0.1, 0.1, NaN]) });
  const { vt } = state.w.state as { vt: NdArray };
  expect(toFlatArray(vt).map(Number.isNaN)).toEqual([false, true, false, false, true]);
  expect(toFlatArray(model.w).map(Number.isNaN)).toEqual([false, true, false, false, true]);
});
