/**
 * Where the arrays tsflux makes live. When WebAssembly is available they are views into its one shared
 * heap, so the Wasm kernels (and the GEMM worker thread) read and write them in place; otherwise they
 * are ordinary typed arrays. A heap block is freed when its typed-array view is garbage collected:
 * keep the ndarray (or its `data` view) alive while you use `data.subarray(...)` views of it.
 * `setWasmHeap(false)` or the environment variable TSFLUX_WASM=0 keeps everything in the JS heap.
 */
import { arrayConstructor, BYTES, type DType, type TypedArray } from "./dtype";
import { wasmAlloc, wasmAvailable, wasmFree } from "./kernels/wasm";
import { wasmInstance } from "./kernels/wasm/runtime";
import { recordAllocation } from "./exec/allocations";

let enabled = typeof process === "undefined" || process.env.TSFLUX_WASM !== "0";
const heapBuffers = new WeakSet<ArrayBufferLike>();
const blocks = new FinalizationRegistry<number>((offset) => wasmFree(offset));

/** Turns allocation in the WebAssembly heap on or off (for new arrays); returns the previous setting. */
export function setWasmHeap(on: boolean): boolean {
  const old = enabled;
  enabled = on;
  return old;
}

/** Whether new arrays go to the WebAssembly heap. */
export function usingWasmHeap(): boolean {
  return enabled && wasmAvailable();
}

/** The current buffer of the heap (a new object after the heap grows; old views stay valid). */
function heapBuffer(): ArrayBufferLike {
  const buffer = wasmInstance().memory.buffer;
  heapBuffers.add(buffer);
  return buffer;
}

/**
 * A zeroed block of `bytes` in the WebAssembly heap, freed when `owner` is garbage collected; returns
 * its byte offset and the heap buffer to view it through, or undefined when the heap is not in use.
 */
export function heapBlock(bytes: number, owner: object): { offset: number; buffer: ArrayBufferLike } | undefined {
  if (!usingWasmHeap() || bytes === 0) return undefined;
  const offset = wasmAlloc(bytes, 64);
  const buffer = heapBuffer();
  new Uint8Array(buffer, offset, bytes).fill(0);
  blocks.register(owner, offset);
  recordAllocation(bytes);
  return { offset, buffer };
}

/** A zeroed typed array of n elements: in the WebAssembly heap when it is in use. */
export function allocData(dtype: DType, n: number): TypedArray {
  const Ctor = arrayConstructor(dtype);
  if (usingWasmHeap() && n > 0) {
    const bytes = n * BYTES[dtype];
    const offset = wasmAlloc(bytes, 64);
    const view = new Ctor(heapBuffer(), offset, n);
    view.fill(0);
    blocks.register(view, offset);
    recordAllocation(bytes);
    return view;
  }
  const data = new Ctor(n);
  recordAllocation(data.byteLength);
  return data;
}

/** The heap byte offset of element `offset` of `data`, or -1 when `data` is not in the WebAssembly heap. */
export function heapOffset(data: TypedArray, offset: number): number {
  return heapBuffers.has(data.buffer) ? data.byteOffset + offset * data.BYTES_PER_ELEMENT : -1;
}
