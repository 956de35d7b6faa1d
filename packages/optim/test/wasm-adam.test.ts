/**
 * Float32 Adam on arrays in the WebAssembly heap runs the SIMD kernel (Float32 arithmetic); it must
 * follow the same Float64 reference as the JS loop, and agree with the JS loop on JS-heap arrays.
 */
import { zerosArray, usingWasmHeap, toFlatArray, wrapColMajor, type NdArray } from "@tsflux/graph";
import { Adam, setup, update } from "@tsflux/optim";
import { refAdam } from "./reference";
import { rng } from "./helpers";

const n = 37; // not a multiple of 4: the vector loop and the scalar tail both run

function heapArray(values: readonly number[]): NdArray {
  const a = zerosArray([values.length], "f32");
  (a.data as Float32Array).set(values);
  return a;
}

test("the WebAssembly heap is in use for tsflux's arrays in this environment", () => {
  expect(usingWasmHeap()).toBe(true);
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
