/**
 * The allocator of the shared Wasm memory: a first-fit free list of 64-byte-aligned blocks that grows
 * the memory when a request does not fit. Offsets are byte offsets; offset 0 is never returned (null).
 */

/** Minimal shape of a WebAssembly.Memory (the project's lib setting has no WebAssembly typings). */
export interface SharedWasmMemory {
  readonly buffer: SharedArrayBuffer;
  grow(deltaPages: number): number;
}

export const WASM_PAGE_BYTES = 65536;
/** 2 GiB cap of the shared memory (see the file comment). */
export const WASM_MAX_PAGES = 32768;
/** 16 MiB at start; grows at least by doubling. */
export const WASM_INITIAL_PAGES = 256;
/** Bytes [0, 1024) are never allocated: offset 0 means null. */
export const RESERVED_BYTES = 1024;
/** Allocation granule and default alignment (a cache line). */
export const GRANULE = 64;

/**
 * First-fit free-list allocator over the shared memory. Blocks are 64-byte multiples at 64-byte
 * aligned offsets; free blocks are kept sorted and coalesced. Linear scans: fine for tensor-sized
 * allocations (hundreds of live blocks), not for per-element use.
 */
export class WasmHeap {
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
        const blk = this.free[i]!;
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
    while (i < this.free.length && this.free[i]!.off < off) i++;
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

