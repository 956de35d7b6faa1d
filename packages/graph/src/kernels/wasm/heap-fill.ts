/**
 * Zeroing a range of the WebAssembly heap with the bulk-memory `memory.fill` (a small module over the
 * shared heap): about 2.5x faster than TypedArray.prototype.fill, which is slow on views of a
 * SharedArrayBuffer.
 */
import { moduleBytes, op } from "./encoder";
import { wasmAvailable, instantiateOnHeap } from "./runtime";

type Run = (...args: number[]) => void;

// run(byte offset, bytes): memory.fill(offset, 0, bytes)
const body = [...op.get(0), ...op.i32(0), ...op.get(1), 0xfc, 11, 0];

let fill: Run | null | undefined;

/** Zeroes `bytes` bytes of the heap from byte offset `at`; false when Wasm is unavailable. */
export function wasmZeroBytes(at: number, bytes: number): boolean {
  if (fill === undefined) fill = wasmAvailable() ? instantiateOnHeap(moduleBytes(2, [], body, 65536)) : null;
  if (!fill) return false;
  fill(at, bytes);
  return true;
}
