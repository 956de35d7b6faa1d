/**
 * Typed views of the whole shared Wasm memory. A shared memory that grows gets a new, longer buffer
 * (old views keep the old length), so the views are re-derived when the buffer changed: never keep one
 * across an allocation, call wasmF32() etc. again.
 */
import { wasmMemory } from "./runtime";

let viewBuffer: SharedArrayBuffer | null = null;
let f32: Float32Array = new Float32Array(0);
let f64: Float64Array = new Float64Array(0);
let i32: Int32Array = new Int32Array(0);
let u8: Uint8Array = new Uint8Array(0);

/** Re-derives the cached views when the memory grew (memory.buffer is then a new object). */
function refreshViews(): void {
  const buf = wasmMemory().buffer;
  if (buf === viewBuffer) return;
  viewBuffer = buf;
  f32 = new Float32Array(buf);
  f64 = new Float64Array(buf);
  i32 = new Int32Array(buf);
  u8 = new Uint8Array(buf);
}

/** Float32 view of the whole memory; index = byteOffset / 4. Do not keep it across wasmAlloc. */
export function wasmF32(): Float32Array {
  refreshViews();
  return f32;
}

/** Float64 view of the whole memory; index = byteOffset / 8. Do not keep it across wasmAlloc. */
export function wasmF64(): Float64Array {
  refreshViews();
  return f64;
}

/** Int32 view of the whole memory; index = byteOffset / 4. Do not keep it across wasmAlloc. */
export function wasmI32(): Int32Array {
  refreshViews();
  return i32;
}

/** Byte view of the whole memory. Do not keep it across wasmAlloc. */
export function wasmU8(): Uint8Array {
  refreshViews();
  return u8;
}

/** Copies `src` into the memory at byte offset `off` (4-byte aligned). */
export function wasmWriteF32(off: number, src: ArrayLike<number>): void {
  wasmF32().set(src, off >>> 2);
}

/** Copies `len` floats at byte offset `off` out of the memory into a fresh Float32Array. */
export function wasmReadF32(off: number, len: number): Float32Array {
  return wasmF32().slice(off >>> 2, (off >>> 2) + len);
}
