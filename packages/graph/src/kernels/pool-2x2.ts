/**
 * The common max pooling, 2x2 windows with stride 2 and no padding over 2-d Float32 data in the
 * WebAssembly heap, on its own SIMD kernels (packages/graph/wasm/pool2x2-f32.mjs): four windows a step,
 * and the adjoint writes dx whole (dy at each first maximum, 0 elsewhere) instead of zeroing then
 * adding. Same first-maximum rule as the general kernels; anything else runs on those. The planes are
 * shared with the worker lanes that are awake (kernels/wasm/shared-job.ts).
 */
import type { PoolAttrs } from "../ops/conv-geometry";
import type { Slot } from "../ops/types";
import { allocLongLived, heapOffset } from "../memory";
import { POOL_WORDS } from "./wasm/generated/kernels-wasm";
import { wasmAvailable } from "./wasm/runtime";
import { SharedKernelJob } from "./wasm/shared-job";
import { zeroFill } from "./zero-fill";

/** Max pooling's floor in Float32, -floatmax (NNlib starts from nextfloat(typemin(T))). */
export const MAX_POOL_FLOOR_F32 = -3.4028234663852886e38;

/** Planes are claimed in about this many pieces. */
const CHUNKS = 16;
/** Pooling an element costs about as much as this many multiply-adds (it is memory-bound): the split threshold's unit. */
const WORK_PER_ELEMENT = 4;

/** Whether pooling data of shape `shape` with `a` is the 2x2 kernels' (2-d Float32, 2x2 windows, stride 2, no padding). */
export function maxPool2x2Fits(shape: readonly number[], dtype: string, a: PoolAttrs): boolean {
  const is2x2 = shape.length === 4 && a.window.every((k) => k === 2) && a.stride.every((s) => s === 2) && a.pad.every((p) => p === 0);
  return dtype === "f32" && is2x2 && wasmAvailable();
}

/** The 2x2 kernels of data of shape `shape`, or undefined when the pooling is not theirs. */
export function maxPool2x2For(shape: readonly number[], dtype: string, a: PoolAttrs) {
  if (!maxPool2x2Fits(shape, dtype, a)) return undefined;
  const [w, h] = shape as [number, number], planes = shape[2]! * shape[3]!;
  const words = allocLongLived("i32", POOL_WORDS.SIZE) as Int32Array, floorBits = new Float32Array(words.buffer, words.byteOffset + 4 * POOL_WORDS.FLOOR, 1);
  [words[POOL_WORDS.W], words[POOL_WORDS.H]] = [w, h];
  const chunk = Math.max(1, Math.ceil(planes / CHUNKS)), work = WORK_PER_ELEMENT * w * h * planes;
  const forward = new SharedKernelJob("maxpool2x2_f32", words, POOL_WORDS, 0, work);
  const adjoint = new SharedKernelJob("maxpool2x2_scatter_f32", words, POOL_WORDS, 0, work);
  const inHeap = (s: Slot) => s.data instanceof Float32Array && heapOffset(s.data, s.offset) >= 0;
  const run = (job: SharedKernelJob, x: Slot, y: Slot, dx: Slot | undefined, floor: number, relu: boolean): void => {
    words[POOL_WORDS.RELU] = relu ? 1 : 0;
    words[POOL_WORDS.X] = heapOffset(x.data, x.offset);
    words[POOL_WORDS.Y] = heapOffset(y.data, y.offset);
    words[POOL_WORDS.DX] = dx ? heapOffset(dx.data, dx.offset) : 0;
    floorBits[0] = floor;
    job.run(chunk, planes, 0, 0, 0);
  };
  return {
    /** y = maxpool(x); false when an operand is outside the heap. */
    max(y: Slot, x: Slot, floor: number): boolean {
      if (!inHeap(y) || !inHeap(x)) return false;
      run(forward, x, y, undefined, floor, false);
      return true;
    },
    /**
     * dx = maxpoolScatter(dy, x) (odd last rows and columns zeroed), or with `reluMask` where(x > 0, that, 0);
     * false when an operand is outside the heap.
     */
    scatter(dx: Slot, dy: Slot, x: Slot, floor: number, reluMask = false): boolean {
      if (!inHeap(dx) || !inHeap(dy) || !inHeap(x)) return false;
      if (w % 2 !== 0 || h % 2 !== 0) zeroFill(dx.data, dx.offset, dx.offset + w * h * planes);
      run(adjoint, x, dy, dx, floor, reluMask);
      return true;
    },
  };
}
