/**
 * The conv kernels' staging copies for Float32 data in the WebAssembly heap: each (sample, channel)
 * block of P contiguous outputs moves as one memmove within the heap (no per-element JS loop).
 */
import { wasmF32 } from "./wasm/views";

/**
 * Copies y-shaped blocks into the staging matrix [nb*P, coutG] (column-major) or back: block (i, c) is
 * `P` floats at `y0 + i*sampleStride + c*P` in y and at `stage + i*P + c*rows` in the stage; `stage` and
 * `y0` are Float32 indices into the heap (byte offset / 4).
 */
export function stageRowsInHeap(toStage: boolean, stage: number, y0: number, sampleStride: number, P: number, coutG: number, nb: number, rows: number): void {
  const heap = wasmF32();
  for (let i = 0; i < nb; i++) {
    const yi = y0 + i * sampleStride;
    for (let c = 0; c < coutG; c++) {
      const yo = yi + c * P, so = stage + i * P + c * rows;
      if (toStage) heap.copyWithin(so, yo, yo + P);
      else heap.copyWithin(yo, so, so + P);
    }
  }
}
