/** Adam's step in WebAssembly SIMD, for Float32 parameters whose arrays all live in the WebAssembly heap. */
import { heapOffset, wasmAdamF32, type FloatArray } from "@tsflux/graph";
import type { Step } from "../step";

/** Adam's coefficients, as `adam.ts` names them. */
export interface AdamCoefficients {
  readonly eta: number;
  readonly eps: number;
  readonly b1: number;
  readonly b2: number;
  readonly a1: number;
  readonly a2: number;
}

/**
 * The whole Adam step (Float32 arithmetic, 28 bytes an element in one pass) when the step subtracts from a
 * Float32 parameter and every array lives in the WebAssembly heap; false otherwise, and the JS loop runs.
 */
export function adamInWasm(k: AdamCoefficients, mt: FloatArray, vt: FloatArray, s: Step): boolean {
  if (!s.f32 || s.out !== null) return false;
  const px = heapOffset(s.x, s.xo), pg = heapOffset(s.g, s.go), pm = heapOffset(mt, 0), pv = heapOffset(vt, 0);
  if (px < 0 || pg < 0 || pm < 0 || pv < 0) return false;
  wasmAdamF32(px, pg, pm, pv, s.n, k.eta, k.b1, k.b2, k.eps, k.a1, k.a2, s.c1, s.c2);
  return true;
}
