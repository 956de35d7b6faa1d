/**
 * A Float32 product whose operands are not all in the WebAssembly heap (an eager `matmul` on ordinary
 * arrays) still runs on the SIMD GEMM: A and B are copied into a scratch block of the heap, the product
 * is computed there (two threads when large) and C is copied back. Copies are O(n²) against the
 * product's O(n³), so this pays from small sizes up. The scratch grows to the largest product seen and
 * is kept for the next call.
 */
import { allocOwnedBlock, heapOffset, usingWasmHeap, type OwnedBlock } from "../../memory";
import { wasmGemmParallel } from "./threads";
import type { FloatArray } from "../../dtype";

/** Below this many multiply-adds the JS kernel is as fast as copying. */
const MIN_WORK = 16 * 16 * 16;
let scratch: OwnedBlock | undefined;
let scratchBytes = 0;

function ensureScratch(bytes: number): OwnedBlock {
  if (scratch && scratchBytes >= bytes) return scratch;
  scratch?.free();
  scratch = allocOwnedBlock("matmul: heap scratch for an eager product", bytes)!;
  scratchBytes = bytes;
  return scratch;
}

/** The heap byte offset of `n` floats of `data` at `offset`, copied into the scratch at `at` when outside the heap. */
function inHeap(data: FloatArray, offset: number, n: number, block: OwnedBlock, at: number): number {
  const p = heapOffset(data, offset);
  if (p >= 0) return p;
  new Float32Array(block.buffer, block.offset + at, n).set((data as Float32Array).subarray(offset, offset + n));
  return block.offset + at;
}

/**
 * C (m x n) = op(A) op(B) for Float32 arrays anywhere, on the Wasm GEMM; returns false (doing nothing)
 * when the heap is not in use or the product is too small to pay for the copies.
 */
export function gemmThroughHeap(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  a: FloatArray, ao: number, b: FloatArray, bo: number, c: FloatArray, co: number,
): boolean {
  if (!usingWasmHeap() || m * n * k < MIN_WORK || !(a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array)) return false;
  const aBytes = 4 * m * k, bBytes = 4 * k * n, cBytes = 4 * m * n;
  const round = (x: number) => Math.ceil(x / 64) * 64;
  const block = ensureScratch(round(aBytes) + round(bBytes) + round(cBytes));
  const pa = inHeap(a, ao, m * k, block, 0);
  const pb = inHeap(b, bo, k * n, block, round(aBytes));
  const cHeap = heapOffset(c, co);
  const pc = cHeap >= 0 ? cHeap : block.offset + round(aBytes) + round(bBytes);
  wasmGemmParallel(transA, transB, m, n, k, pa, pb, pc, false);
  if (cHeap < 0) c.set(new Float32Array(block.buffer, pc, m * n), co);
  return true;
}
