/**
 * The common max pooling, 2x2 windows with stride 2 and no padding over 2-d Float32 data in the
 * WebAssembly heap, on its own SIMD kernels (packages/graph/wasm/pool2x2-f32.mjs): four windows a step,
 * and the adjoint writes dx whole (dy at each first maximum, 0 elsewhere) instead of zeroing then
 * adding. Same first-maximum rule as the general kernels; anything else runs on those.
 */
import type { PoolAttrs } from "../ops/conv-geometry";
import type { Slot } from "../ops/types";
import { heapOffset } from "../memory";
import { wasmAvailable, wasmInstance } from "./wasm/runtime";
import { zeroFill } from "./zero-fill";

/** The 2x2 kernels of data of shape `shape`, or undefined when the pooling is not theirs. */
export function maxPool2x2For(shape: readonly number[], dtype: string, a: PoolAttrs) {
  const is2x2 = shape.length === 4 && a.window.every((k) => k === 2) && a.stride.every((s) => s === 2) && a.pad.every((p) => p === 0);
  if (dtype !== "f32" || !is2x2 || !wasmAvailable()) return undefined;
  const [w, h] = shape as [number, number], planes = shape[2]! * shape[3]!;
  const inHeap = (...slots: Slot[]) => slots.every((s) => s.data instanceof Float32Array && heapOffset(s.data, s.offset) >= 0);
  return {
    /** y = maxpool(x); false when an operand is outside the heap. */
    max(y: Slot, x: Slot, floor: number): boolean {
      if (!inHeap(y, x)) return false;
      wasmInstance().exports.maxpool2x2_f32(heapOffset(x.data, x.offset), heapOffset(y.data, y.offset), planes, w, h, floor);
      return true;
    },
    /** dx = maxpoolScatter(dy, x) (odd last rows and columns zeroed); false when an operand is outside the heap. */
    scatter(dx: Slot, dy: Slot, x: Slot, floor: number): boolean {
      if (!inHeap(dx, dy, x)) return false;
      if (w % 2 !== 0 || h % 2 !== 0) zeroFill(dx.data, dx.offset, dx.offset + w * h * planes);
      wasmInstance().exports.maxpool2x2_scatter_f32(heapOffset(x.data, x.offset), heapOffset(dy.data, dy.offset), heapOffset(dx.data, dx.offset), planes, w, h, floor);
      return true;
    },
  };
}
