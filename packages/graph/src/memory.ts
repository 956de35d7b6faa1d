/**
 * Where the arrays tsflux makes live, and who frees them.
 *
 * - Transient arrays (eager results, batches, `randn32`, `onehotbatch`, staging copies made by callers)
 *   are ordinary typed arrays in V8's heap: `allocData`. V8 collects them like any other object.
 * - Long-lived arrays that compiled plans read again and again (parameters, shadows, optimiser state)
 *   live in the WebAssembly heap when it is in use, so the SIMD kernels and the GEMM thread work on them
 *   in place: `allocLongLived`. Such a block returns to the heap when V8 collects the typed array that
 *   views it (and every `subarray` of it: a subarray keeps its parent alive). V8 feels no pressure from
 *   the Wasm heap, so when a request does not fit, before the heap grows, tsflux asks V8 for a full
 *   collection and runs the finalizers at once (in Node; elsewhere they run between event-loop turns),
 *   and the plan cache gives back what it holds beyond the plan in use.
 * - Plan arenas and staging buffers are owned by their plan and freed deterministically when the plan is
 *   evicted from the cache: `allocOwnedBlock`.
 *
 * Every path checks the shape for overflow and the bytes against the memory budget before allocating.
 * `setWasmHeap(false)` or the environment variable TSFLUX_WASM=0 keeps everything in V8's heap.
 */
import { arrayConstructor, BYTES, type DType, type TypedArray } from "./dtype";
import { wasmAlloc, wasmAvailable, wasmFree, setHeapPressureHandler } from "./kernels/wasm";
import { wasmInstance } from "./kernels/wasm/runtime";
import { recordAllocation } from "./exec/allocations";
import { checkBudget } from "./shape";
import { OutOfMemoryError, ShapeError } from "./errors";
import { formatBytes } from "./shape";

let enabled = typeof process === "undefined" || process.env?.TSFLUX_WASM !== "0";
const heapBuffers = new WeakSet<ArrayBufferLike>();
/** The heap's buffer as last seen (most views are on it): a quick first check before the WeakSet. */
let latestBuffer: ArrayBufferLike | undefined;

interface Collector {
  /** A full garbage collection. */
  gc(): void;
  /** A FinalizationRegistry constructor whose instances can run their due callbacks synchronously. */
  Registry: new <T>(cleanup: (held: T) => void) => FinalizationRegistry<T> & { cleanupSome?(): void };
}

/**
 * V8's gc and a FinalizationRegistry with cleanupSome, taken from a fresh context made after switching
 * both on (Node only; undefined elsewhere, and the finalizers then run between event-loop turns).
 */
function makeCollector(): Collector | undefined {
  type Builtins = { getBuiltinModule?(id: string): unknown };
  const proc = (globalThis as { process?: Builtins }).process;
  const v8 = proc?.getBuiltinModule?.("v8") as { setFlagsFromString(flags: string): void } | undefined;
  const vm = proc?.getBuiltinModule?.("vm") as { runInNewContext(code: string): unknown } | undefined;
  if (!v8 || !vm) return undefined;
  try {
    v8.setFlagsFromString("--expose-gc");
    v8.setFlagsFromString("--harmony-weak-refs-with-cleanup-some");
    const realm = vm.runInNewContext("({ gc: typeof gc === 'function' ? gc : undefined, Registry: FinalizationRegistry })") as Partial<Collector>;
    return realm.gc && realm.Registry && typeof realm.Registry.prototype.cleanupSome === "function" ? (realm as Collector) : undefined;
  } catch {
    return undefined;
  }
}

const collector = makeCollector();
const blocks = collector ? new collector.Registry<number>((offset) => wasmFree(offset)) : new FinalizationRegistry<number>((offset) => wasmFree(offset));
/** Long-lived bytes handed out since the last collection: whether one could give anything back. */
let longLivedSinceCollection = 0;
const pressureHandlers: ((bytes: number) => void)[] = [];
let pressureInstalled = false;

/** Adds something to do when the heap is short of space, before it grows (e.g. evicting cached plans). */
export function onHeapPressure(handler: (bytes: number) => void): void {
  pressureHandlers.push(handler);
}

/** Frees the blocks of long-lived arrays V8 can prove dead, at once; true if it ran. */
function collectDeadArrays(): boolean {
  if (!collector || longLivedSinceCollection === 0) return false;
  longLivedSinceCollection = 0;
  collector.gc();
  (blocks as { cleanupSome?(): void }).cleanupSome?.();
  return true;
}

function installPressure(): void {
  if (pressureInstalled) return;
  pressureInstalled = true;
  setHeapPressureHandler((bytes) => {
    collectDeadArrays();
    for (const handler of pressureHandlers) handler(bytes);
  });
}
/** A subarray of a heap view -> its parent, so the parent (which owns the block) outlives it. */
const parents = new WeakMap<TypedArray, TypedArray>();

/** Turns allocation in the WebAssembly heap on or off (for new arrays); returns the previous setting. */
export function setWasmHeap(on: boolean): boolean {
  const old = enabled;
  enabled = on;
  return old;
}

/** Whether long-lived arrays and plan arenas go to the WebAssembly heap. */
export function usingWasmHeap(): boolean {
  return enabled && wasmAvailable();
}

/** The current buffer of the heap (a new object after the heap grows; old views stay valid). */
function heapBuffer(): ArrayBufferLike {
  const buffer = wasmInstance().memory.buffer;
  heapBuffers.add(buffer);
  latestBuffer = buffer;
  return buffer;
}

/** Allocates `bytes` in the heap, turning exhaustion into an OutOfMemoryError that names `what`. */
function heapAlloc(what: string, bytes: number): number {
  installPressure();
  try {
    return wasmAlloc(bytes, 64);
  } catch (err) {
    if (err instanceof RangeError) throw new OutOfMemoryError(`${what}: needs ${formatBytes(bytes)}, and the WebAssembly heap cannot grow that far (${err.message})`);
    throw err;
  }
}

/** A block of the heap owned by one object that frees it explicitly. */
export interface OwnedBlock {
  readonly offset: number;
  readonly buffer: ArrayBufferLike;
  free(): void;
}

/**
 * A zeroed block of `bytes` in the WebAssembly heap that its owner frees with `free()`; undefined when
 * the heap is not in use. Checked against the memory budget first.
 */
export function allocOwnedBlock(what: string, bytes: number): OwnedBlock | undefined {
  checkBudget(what, bytes);
  if (!usingWasmHeap() || bytes === 0) return undefined;
  const offset = heapAlloc(what, bytes);
  const buffer = heapBuffer();
  new Uint8Array(buffer, offset, bytes).fill(0);
  recordAllocation(bytes);
  let live = true;
  return {
    offset,
    buffer,
    free: () => {
      if (live) wasmFree(offset);
      live = false;
    },
  };
}

/** The byte count of n elements of `dtype`, checked for overflow and against the budget. */
function checkedBytes(what: string, dtype: DType, n: number): number {
  if (!Number.isSafeInteger(n) || n < 0) throw new ShapeError(`${what}: ${n} is not a count of elements`);
  const bytes = n * BYTES[dtype];
  checkBudget(() => `${what}: ${n} elements of ${dtype}`, bytes);
  return bytes;
}

/** A zeroed transient typed array of n elements, in V8's heap. */
export function allocData(dtype: DType, n: number): TypedArray {
  checkedBytes("allocData", dtype, n);
  const data = new (arrayConstructor(dtype))(n);
  recordAllocation(data.byteLength);
  return data;
}

/**
 * A zeroed typed array of n elements for an array that lives long and that plans read on every run
 * (a parameter, a shadow, optimiser state): in the WebAssembly heap when it is in use.
 */
export function allocLongLived(dtype: DType, n: number): TypedArray {
  const bytes = checkedBytes("allocLongLived", dtype, n);
  if (!usingWasmHeap() || n === 0) return allocData(dtype, n);
  const offset = heapAlloc(`an array of ${n} ${dtype} elements`, bytes);
  const view = new (arrayConstructor(dtype))(heapBuffer(), offset, n);
  view.fill(0);
  blocks.register(view, offset);
  longLivedSinceCollection += bytes;
  guardSubarrays(view);
  recordAllocation(bytes);
  return view;
}

/** Makes `view.subarray(...)` return views that keep `view` (and so its heap block) alive. */
function guardSubarrays(view: TypedArray): void {
  const proto = Object.getPrototypeOf(view) as { subarray(this: TypedArray, b?: number, e?: number): TypedArray };
  Object.defineProperty(view, "subarray", {
    value: function subarray(this: TypedArray, begin?: number, end?: number): TypedArray {
      const part = proto.subarray.call(this, begin, end);
      parents.set(part, this);
      guardSubarrays(part);
      return part;
    },
    enumerable: false,
  });
}

/** The heap byte offset of element `offset` of `data`, or -1 when `data` is not in the WebAssembly heap. */
export function heapOffset(data: TypedArray, offset: number): number {
  const buffer = data.buffer;
  return buffer === latestBuffer || heapBuffers.has(buffer) ? data.byteOffset + offset * data.BYTES_PER_ELEMENT : -1;
}
