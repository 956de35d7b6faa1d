/**
 * WebAssembly SIMD kernels runtime: compiles the generated module synchronously and owns the ONE shared
 * linear memory all kernels (and the GEMM workers, see threads.ts) use. The allocator is
 * heap-allocator.ts, the typed views views.ts, and the calls into the module's kernels kernel-calls.ts.
 *
 * - The binary comes from `./generated/kernels-wasm.ts` (base64, written by
 *   `node packages/graph/wasm/gen-kernels.mjs`), so nothing is read from disk at run time.
 * - Memory: `shared: true` so a worker thread can run kernels on the same data. A shared memory must
 *   declare a maximum, and V8 reserves address space for that maximum up front (virtual only; pages
 *   are committed when touched). MAX_PAGES = 32768 pages = 2 GiB: enough for CPU training of the
 *   models tsflux targets, and it keeps every byte offset a non-negative int32, so caller-side
 *   `| 0` arithmetic stays correct. The kernels use unsigned address arithmetic and the module
 *   accepts up to 65536 pages, so raising it to 4 GiB later is a one-line change here.
 * - Views: a shared memory that grows does not detach the old buffer; `memory.buffer` becomes a new,
 *   longer SharedArrayBuffer and old views silently keep the old length. Never keep a view across an
 *   allocation: call wasmF32() etc. again (they re-derive only when the buffer changed).
 * - Offsets are byte offsets. Offset 0 is never returned by the allocator (null).
 */
import { kernelsWasmBase64 } from "./select-module";
import { WasmHeap, GRANULE, WASM_INITIAL_PAGES, WASM_MAX_PAGES, type SharedWasmMemory } from "./heap-allocator";

export { WASM_PAGE_BYTES, WASM_MAX_PAGES, WASM_INITIAL_PAGES, type SharedWasmMemory } from "./heap-allocator";

/** The module's exports (all i32 arguments; pointers are byte offsets into the shared memory). */
export interface KernelExports {
  gemm_f32(ta: number, tb: number, m: number, n: number, k: number, a: number, b: number, c: number, acc: number, pack: number): void;
  gemm_f32_range(
    ta: number, tb: number, m: number, n: number, k: number, a: number, b: number, c: number, acc: number, pack: number,
    m0: number, m1: number, n0: number, n1: number,
  ): void;
  gemm_f32_scratch_bytes(m: number, n: number, k: number): number;
  /** `k`: byte offset of the Float32 coefficients eta, b1, b2, eps, a1, a2, c1, c2. */
  adam_f32(x: number, g: number, m: number, v: number, n: number, k: number): void;
  sum_middle_f32(x: number, y: number, pre: number, red: number, post: number): void;
  gemv_f32(ta: number, m: number, k: number, a: number, x: number, y: number, bias: number, epi: number): void;
  ger_f32(m: number, n: number, a: number, b: number, c: number, bias: number, epi: number): void;
  all_finite_f32(x: number, n: number): number;
  /** Direct stride-1 convolution described by the word block at `p`, of the samples it claims `chunk` at a time until `batch` (conv-direct-f32.mjs). */
  conv2d_f32(p: number, chunk: number, batch: number, scratch: number, out: number, back: number): void;
  /** The filter gradient of the samples it claims, in tap order, into `out`. */
  conv2d_filter_f32(p: number, chunk: number, batch: number, scratch: number, out: number, back: number): void;
  /** The data gradient of the samples it claims, as a scatter of dy through the filter. */
  conv2d_data_f32(p: number, chunk: number, batch: number, scratch: number, out: number, back: number): void;
  /** 2x2 max pooling, stride 2, no padding, described by the word block at `q`, of the planes it claims `chunk` at a time (pool2x2-f32.mjs). */
  maxpool2x2_f32(q: number, chunk: number, planes: number, scratch: number, out: number, back: number): void;
  /** Its adjoint: dx = dy at each window's first maximum, 0 elsewhere (a last odd row or column untouched). */
  maxpool2x2_scatter_f32(q: number, chunk: number, planes: number, scratch: number, out: number, back: number): void;
}

/** The global WebAssembly API, typed locally so no global declarations leak into the package. */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: unknown };
  Memory: new (desc: { initial: number; maximum: number; shared: boolean }) => SharedWasmMemory;
}

interface WasmState {
  module: object;
  memory: SharedWasmMemory;
  exports: KernelExports;
  heap: WasmHeap;
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
    state = { module, memory, exports, heap };
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

/** The kernels module's exports (compiling it on first use), for the calls in kernel-calls.ts. */
export function kernelExports(): KernelExports {
  return init().exports;
}

/** The shared memory (created on first use), for views.ts and argument checks. */
export function wasmMemory(): SharedWasmMemory {
  return init().memory;
}

/** Module, memory and exports, for threads.ts (a worker instantiates the same module on the same memory). */
export function wasmInstance(): { module: object; memory: SharedWasmMemory; exports: KernelExports } {
  const s = init();
  return { module: s.module, memory: s.memory, exports: s.exports };
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
