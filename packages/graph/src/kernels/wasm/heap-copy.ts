/**
 * Copying runs of rows inside the WebAssembly heap with the bulk-memory `memory.copy` (a small module
 * over the shared heap): a strided copy whose inner dim is contiguous on both sides (a slice of rows,
 * a concat, an unslice) moves each run as one block instead of element by element in JS.
 */
import { moduleBytes, op, I32 } from "./encoder";
import { wasmAvailable, instantiateOnHeap } from "./runtime";

type Run = (...args: number[]) => void;

// run(src, dst, runBytes, runs, srcStep, dstStep): for i < runs: memory.copy(dst, src, runBytes); src += srcStep; dst += dstStep
const [SRC, DST, BYTES, RUNS, SRC_STEP, DST_STEP, I] = [0, 1, 2, 3, 4, 5, 6];
const body = [
  ...op.block, ...op.loop,
  ...op.get(I), ...op.get(RUNS), ...op.i32GeU, ...op.brIf(1),
  ...op.get(DST), ...op.get(SRC), ...op.get(BYTES), 0xfc, 10, 0, 0,
  ...op.get(SRC), ...op.get(SRC_STEP), ...op.i32Add, ...op.set(SRC),
  ...op.get(DST), ...op.get(DST_STEP), ...op.i32Add, ...op.set(DST),
  ...op.get(I), ...op.i32(1), ...op.i32Add, ...op.set(I),
  ...op.br(0), ...op.end, ...op.end,
];

let copy: Run | null | undefined;

/**
 * Copies `runs` blocks of `runBytes` bytes from heap byte offset `src` to `dst`, the k-th block at
 * src + k·srcStep and dst + k·dstStep (memmove semantics); false when Wasm is unavailable.
 */
export function wasmCopyRuns(src: number, dst: number, runBytes: number, runs: number, srcStep: number, dstStep: number): boolean {
  if (copy === undefined) copy = wasmAvailable() ? instantiateOnHeap(moduleBytes(6, [[1, I32]], body, 65536)) : null;
  if (!copy) return false;
  copy(src, dst, runBytes, runs, srcStep, dstStep);
  return true;
}
