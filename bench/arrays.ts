// How the tsflux benchmark workloads make their arrays, as a user's code would.
import { longLivedZeros, wrapColMajor, type NdArray } from "@tsflux/graph";

/** A parameter: a copy of the data where the layers' own initialisers put parameters (the WebAssembly heap). */
export function owned(data: Float32Array, shape: number[]): NdArray {
  const a = longLivedZeros(shape, "f32");
  (a.data as Float32Array).set(data);
  return a;
}

/** A batch: an ordinary array, as a DataLoader makes. */
export function dataArray(data: Float32Array, shape: number[]): NdArray {
  return wrapColMajor(Float32Array.from(data), shape);
}
