/**
 * WebAssembly SIMD kernels runtime: compiles the generated module synchronously, owns the ONE shared
 * linear memory all kernels (and the GEMM worker, see threads.ts) use, and allocates inside it.
 *
 * - The binary comes from `./generated/kernels-wasm.ts` (base64, written by
 *   `node packages/graph/wasm/gen-kernels.mjs`), so nothing is read from disk at run time.
 * - Memory: `shared: true` so a worker thread can run kernels on the same data. A shared memory must
 *   declare a maximum, and V8 reserves address space for that maximum up front (virtual only; pages
 *   are committed when touched). MAX_PAGES = 32768 pages = 2 GiB: enough for CPU training on this
 *   project's 24 GiB machines, and it keeps every byte offset a non-negative int32, so caller-side
 *   `| 0` arithmetic stays correct. The kernels use unsigned address arithmetic and the module
 *   accepts up to 65536 pages, so raising it to 4 GiB later is a one-line change here.
 * - Views: a shared memory that grows does not detach the old buffer; `memory.buffer` becomes a new,
 *   longer SharedArrayBuffer and old views silently keep the old length. Never keep a view across an
 *   allocation: call wasmF32() etc. again (they re-derive only when the buffer changed).
 * - Offsets are byte offsets. Offset 0 is never returned by the allocator (null).
 */
import { GEMM_F32_PARAMS } from "./generated/kernels-wasm";
import { kernelsWasmBase64 } from "./select-module";

/** The module's exports (all i32 arguments; pointers are byte offsets into the shared memory). */
export interface KernelExports {
  gemm_f32(ta: number, tb: number, m: number, n: number, k: number, a: number, b: number, c: number, acc: number, pack: number): void;
  gemm_f32_range(
    ta: number, tb: number, m: number, n: number, k: number, a: number, b: number, c: number, acc: number, pack: number,
    m0: number, m1: number, n0: number, n1: number,
  ): void;
  gemm_f32_scratch_bytes(m: number, n: number, k: number): number;
  adam_f32(
    x: number, g: number, m: number, v: number, n: number,
    eta: number, b1: number, b2: number, eps: number, a1: number, a2: number, c1: number, c2: number,
  ): void;
  sum_middle_f32(x: number, y: number, pre: number, red: number, post: number): void;
  all_finite_f32(x: number, n: number): number;
}

/** Minimal shape of a WebAssembly.Memory (the project's lib setting has no WebAssembly typings). */
export interface SharedWasmMemory {
  readonly buffer: SharedArrayBuffer;
  grow(deltaPages: number): number;
}

/** The global WebAssembly API, typed locally so no global declarations leak into the package. */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  Memory: new (desc: { initial: number; maximum: number; shared: boolean }) => SharedWasmMemory;
}

export const WASM_PAGE_BYTES = 65536;
/** 2 GiB cap of the shared memory (see the file comment). */
export const WASM_MAX_PAGES = 32768;
/** 16 MiB at start; grows at least by doubling. */
export const WASM_INITIAL_PAGES = 256;
/** Bytes [0, 1024) are never allocated: offset 0 means null. */
const RESERVED_BYTES = 1024;
/** Allocation granule and default alignment (a cache line). */
const GRANULE = 64;

interface WasmState {
  module: object;
  memory: SharedWasmMemory;
  exports: KernelExports;
  heap: WasmHeap;
  gemmScratch: number;
}

let state: WasmState | null = null;
let initError: Error | null = null;

/** Base64 -> bytes, in Node (Buffer) and browsers (atob). */
function decodeBase64(b64: string): Uint8Array {
  const NodeBuffer = (globalThis as { Buffer?: { from(s: string, enc: string): Uint8Array } }).Buffer;
  if (NodeBuffer) return new Uint8Array(NodeBuffer.from(b64, "base64"));
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** Compiles and instantiates the module and creates the memory (once). */
function init(): WasmState {
  if (state) return state;
  if (initError) throw initError;
  try {
    const WA = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    if (!WA) throw new Error("WebAssembly is not available in this JS engine");
    if (typeof SharedArrayBuffer === "undefined") throw new Error("SharedArrayBuffer is not available (browsers need cross-origin isolation)");
    const module = new WA.Module(decodeBase64(kernelsWasmBase64()));
    const memory = new WA.Memory({ initial: WASM_INITIAL_PAGES, maximum: WASM_MAX_PAGES, shared: true });
    const exports = new WA.Instance(module, { env: { memory } }).exports as KernelExports;
    const heap = new WasmHeap(memory);
    state = { module, memory, exports, heap, gemmScratch: 0 };
    return state;
  } catch (err) {
    initError = err instanceof Error ? err : new Error(String(err));
    throw initError;
  }
}

/**
 * Compiles a module generated at run time (fused loops, im2col, pooling) and instantiates it on the
 * shared heap (imported as env.memory); returns its `run` export.
 */
export function instantiateOnHeap(bytes: Uint8Array): (...args: number[]) => void {
  const s = init();
  const WA = (globalThis as { WebAssembly?: WasmApi }).WebAssembly!;
  const exports = new WA.Instance(new WA.Module(bytes), { env: { memory: s.memory } }).exports as { run: (...args: number[]) => void };
  return exports.run;
}

/** True when the kernels module compiled and instantiated (WebAssembly SIMD + shared memory present). */
export function wasmAvailable(): boolean {
  try {
    init();
    return true;
  } catch {
    return false;
  }
}

/** Why wasmAvailable() is false (null when it is true). */
export function wasmUnavailableReason(): string | null {
  return wasmAvailable() ? null : (initError?.message ?? "unknown");
}

/** Module, memory and exports, for threads.ts (a worker instantiates the same module on the same memory). */
export function wasmInstance(): { module: object; memory: SharedWasmMemory; exports: KernelExports } {
  const s = init();
  return { module: s.module, memory: s.memory, exports: s.exports };
}

/**
 * First-fit free-list allocator over the shared memory. Blocks are 64-byte multiples at 64-byte
 * aligned offsets; free blocks are kept sorted and coalesced. Linear scans: fine for tensor-sized
 * allocations (hundreds of live blocks), not for per-element use.
 */
class WasmHeap {
  private readonly free: Array<{ off: number; size: number }> = [];
  private readonly used = new Map<number, number>();
  private top = RESERVED_BYTES;
  private usedBytes = 0;

  constructor(private readonly memory: SharedWasmMemory) {
    this.addFree(RESERVED_BYTES, memory.buffer.byteLength - RESERVED_BYTES);
    this.top = memory.buffer.byteLength;
  }

  /** Called when a request does not fit, before the memory grows; may free blocks. */
  pressure: ((bytes: number) => void) | undefined;

  alloc(bytes: number, align: number): number {
    if (!(bytes >= 0) || !Number.isFinite(bytes)) throw new RangeError(`wasm alloc: bad size ${bytes}`);
    if (!(align > 0) || (align & (align - 1)) !== 0) throw new RangeError(`wasm alloc: alignment ${align} is not a power of two`);
    align = Math.max(align, GRANULE);
    const size = Math.max(GRANULE, Math.ceil(bytes / GRANULE) * GRANULE);
    let relieved = false;
    for (;;) {
      for (let i = 0; i < this.free.length; i++) {
        const blk = this.free[i];
        const start = Math.ceil(blk.off / align) * align;
        if (start + size > blk.off + blk.size) continue;
        const tail = blk.off + blk.size - (start + size);
        const pieces: Array<{ off: number; size: number }> = [];
        if (start > blk.off) pieces.push({ off: blk.off, size: start - blk.off });
        if (tail > 0) pieces.push({ off: start + size, size: tail });
        this.free.splice(i, 1, ...pieces);
        this.used.set(start, size);
        this.usedBytes += size;
        return start;
      }
      if (!relieved && this.pressure) {
        relieved = true;
        this.pressure(size);
        continue;
      }
      this.grow(size + align);
    }
  }

  release(off: number): void {
    const size = this.used.get(off);
    if (size === undefined) throw new Error(`wasm free: ${off} is not an allocated block (double free?)`);
    this.used.delete(off);
    this.usedBytes -= size;
    this.addFree(off, size);
  }

  sizeOf(off: number): number | undefined {
    return this.used.get(off);
  }

  stats(): { memoryBytes: number; usedBytes: number; blocks: number; freeBlocks: number } {
    return { memoryBytes: this.top, usedBytes: this.usedBytes, blocks: this.used.size, freeBlocks: this.free.length };
  }

  /** Grows the memory by at least `bytes` (doubling when possible) and frees the new region. */
  private grow(bytes: number): void {
    const pages = this.top / WASM_PAGE_BYTES;
    const need = Math.ceil(bytes / WASM_PAGE_BYTES);
    const delta = Math.min(Math.max(need, pages), WASM_MAX_PAGES - pages);
    if (delta < need) throw new RangeError(`wasm heap exhausted: ${bytes} more bytes needed, ${this.usedBytes} in use, cap ${WASM_MAX_PAGES * WASM_PAGE_BYTES}`);
    this.memory.grow(delta);
    this.addFree(this.top, delta * WASM_PAGE_BYTES);
    this.top += delta * WASM_PAGE_BYTES;
  }

  /** Inserts [off, off+size) into the sorted free list, merging with its neighbours. */
  private addFree(off: number, size: number): void {
    let i = 0;
    while (i < this.free.length && this.free[i].off < off) i++;
    const prev = i > 0 ? this.free[i - 1] : undefined;
    const next = i < this.free.length ? this.free[i] : undefined;
    if (prev && prev.off + prev.size === off) {
      prev.size += size;
      if (next && off + size === next.off) {
        prev.size += next.size;
        this.free.splice(i, 1);
      }
    } else if (next && off + size === next.off) {
      next.off = off;
      next.size += size;
    } else {
      this.free.splice(i, 0, { off, size });
    }
  }
}

/** Allocates `bytes` (64-byte granules) aligned to `align` (power of two, >= 64 in effect); grows the memory if needed. */
export function wasmAlloc(bytes: number, align = GRANULE): number {
  return init().heap.alloc(bytes, align);
}

/**
 * Sets what runs when an allocation does not fit in the free space, before the memory grows (it may
 * free blocks: collect dead arrays, evict cached plans).
 */
export function setHeapPressureHandler(handler: ((bytes: number) => void) | undefined): void {
  init().heap.pressure = handler;
}

/** Frees a block returned by wasmAlloc. */
export function wasmFree(off: number): void {
  init().heap.release(off);
}

/** Size in bytes of an allocated block (undefined if `off` is not one). */
export function wasmBlockSize(off: number): number | undefined {
  return init().heap.sizeOf(off);
}

/** Heap statistics: memory size, bytes in use, live blocks, free-list length. */
export function wasmHeapStats(): { memoryBytes: number; usedBytes: number; blocks: number; freeBlocks: number } {
  return init().heap.stats();
}

let viewBuffer: SharedArrayBuffer | null = null;
let f32: Float32Array = new Float32Array(0);
let f64: Float64Array = new Float64Array(0);
let i32: Int32Array = new Int32Array(0);
let u8: Uint8Array = new Uint8Array(0);

/** Re-derives the cached views when the memory grew (memory.buffer is then a new object). */
function refreshViews(): void {
  const buf = init().memory.buffer;
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

/**
 * Bytes of pack scratch one gemm_f32 call on (m, n, k) needs: with kcp = roundup(min(k, KC), KU),
 * align64(4 * roundup(min(m, MC), MR) * kcp) + align64(4 * roundup(min(n, NC), NR) * kcp) + align64(4 * MR * NR),
 * i.e. at most 655,488 bytes (gemmMaxScratchBytes()) for MR=8, NR=4, KU=1, KC=256, MC=512, NC=128.
 */
export function gemmScratchBytes(m: number, n: number, k: number): number {
  return init().exports.gemm_f32_scratch_bytes(m, n, k);
}

/** Scratch size that fits every (m, n, k): the packed blocks are capped at MC x KC and KC x NC. */
export function gemmMaxScratchBytes(): number {
  const { MC, NC, KC } = GEMM_F32_PARAMS;
  return gemmScratchBytes(MC, NC, KC);
}

/** The calling thread's GEMM pack buffer (allocated once, max size). */
function mainScratch(s: WasmState): number {
  if (s.gemmScratch === 0) s.gemmScratch = s.heap.alloc(gemmMaxScratchBytes(), GRANULE);
  return s.gemmScratch;
}

/** Checks GEMM arguments: non-negative int32 sizes and operands inside the memory. */
export function checkGemmArgs(m: number, n: number, k: number, aOff: number, bOff: number, cOff: number): void {
  const limit = init().memory.buffer.byteLength;
  checkSize("m", m);
  checkSize("n", n);
  checkSize("k", k);
  checkOperand("A", aOff, m * k, limit);
  checkOperand("B", bOff, k * n, limit);
  checkOperand("C", cOff, m * n, limit);
}

function checkSize(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0 || v > 0x7fffffff) throw new RangeError(`wasmGemm: ${name} = ${v} is not a size`);
}

function checkOperand(name: string, off: number, len: number, limit: number): void {
  if (len > 0 && (!Number.isInteger(off) || off < 0 || off + 4 * len > limit)) {
    throw new RangeError(`wasmGemm: ${name} [${off}, +${4 * len} bytes) is outside the wasm memory (${limit} bytes)`);
  }
}

/**
 * Column-major C (m x n, ldc = m) = op(A) op(B), or += when `accumulate`, on the calling thread.
 * A is m x k (lda = m), or k x m (lda = k) when transA; B is k x n (ldb = k), or n x k (ldb = n) when
 * transB. Offsets are byte offsets into the wasm memory (4-byte aligned; 64 recommended). C must not
 * overlap A or B. See threads.ts for the two-thread version.
 */
export function wasmGemm(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  aOff: number, bOff: number, cOff: number, accumulate: boolean,
): void {
  wasmGemmRange(transA, transB, m, n, k, aOff, bOff, cOff, accumulate, 0, m, 0, n);
}

/** wasmGemm restricted to C[m0:m1, n0:n1] (the rest of C is untouched), on the calling thread. */
export function wasmGemmRange(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  aOff: number, bOff: number, cOff: number, accumulate: boolean,
  m0: number, m1: number, n0: number, n1: number,
): void {
  const s = init();
  checkGemmArgs(m, n, k, aOff, bOff, cOff);
  s.exports.gemm_f32_range(transA ? 1 : 0, transB ? 1 : 0, m, n, k, aOff, bOff, cOff, accumulate ? 1 : 0, mainScratch(s), m0, m1, n0, n1);
}

/**
 * Runs a few small GEMMs in all transpose combinations so V8 tiers the kernels up to TurboFan
 * (no OSR for wasm: the first large call would otherwise run in the baseline compiler). ~10 ms.
 */
export function wasmWarmup(size = 128, rounds = 4): void {
  const s = init();
  const bytes = 4 * size * size;
  const a = s.heap.alloc(bytes, GRANULE);
  const b = s.heap.alloc(bytes, GRANULE);
  const c = s.heap.alloc(bytes, GRANULE);
  try {
    wasmF32().fill(0.5, a >>> 2, (a + bytes) >>> 2);
    wasmF32().fill(0.25, b >>> 2, (b + bytes) >>> 2);
    for (let r = 0; r < rounds; r++) {
      for (let combo = 0; combo < 4; combo++) wasmGemm((combo & 1) !== 0, (combo & 2) !== 0, size, size, size, a, b, c, r > 0);
    }
  } finally {
    s.heap.release(a);
    s.heap.release(b);
    s.heap.release(c);
  }
}

/**
 * One Adam step (Optimisers.jl's formula, Float32 arithmetic) over n elements at byte offsets x, g, m, v:
 * m ← b1 m + a1 g; v ← b2 v + a2 g²; x ← x − m/c1 / (√(v/c2) + eps) · eta, with a1 = 1−b1, a2 = 1−b2,
 * c1 = 1−b1ᵗ, c2 = 1−b2ᵗ.
 */
export function wasmAdamF32(
  x: number, g: number, m: number, v: number, n: number,
  eta: number, b1: number, b2: number, eps: number, a1: number, a2: number, c1: number, c2: number,
): void {
  init().exports.adam_f32(x, g, m, v, n, eta, b1, b2, eps, a1, a2, c1, c2);
}

/** y[:, p] = Σ_r x[:, r, p] for a column-major Float32 [pre, red, post] array (byte offsets). */
export function wasmSumMiddleF32(x: number, y: number, pre: number, red: number, post: number): void {
  init().exports.sum_middle_f32(x, y, pre, red, post);
}

/** Whether the n floats at byte offset x are all finite (no NaN, no ±Inf). */
export function wasmAllFiniteF32(x: number, n: number): boolean {
  return init().exports.all_finite_f32(x, n) === 1;
}

export { GEMM_F32_PARAMS };
