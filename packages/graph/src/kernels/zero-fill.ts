/**
 * Zeroes elements [from, to) of a typed array: in the WebAssembly heap with `memory.fill`
 * (kernels/wasm/heap-fill.ts), elsewhere with TypedArray.prototype.fill.
 */
import type { TypedArray } from "../dtype";
import { heapOffset } from "../memory";
import { wasmZeroBytes } from "./wasm/heap-fill";

/** data[from..to) = 0 (`to` clamped to the array's length, as TypedArray.fill does). */
export function zeroFill(data: TypedArray, from: number, to: number): void {
  to = Math.min(to, data.length);
  if (to <= from) return;
  const at = heapOffset(data, from);
  if (at >= 0 && wasmZeroBytes(at, (to - from) * data.BYTES_PER_ELEMENT)) return;
  data.fill(0, from, to);
}
