/**
 * Runs a conv kernel's chunks two at a time so that both cores work: the second chunk's GEMM goes to a
 * worker lane while this thread runs the first's GEMM, its finishing work (col2im, staging out) and
 * the next pair's first chunk's preparation (im2col, staging in); then the second's finishing work. Each chunk of a pair has its own
 * scratch slot (0 or 1), so the two GEMMs never share an output. The first pair of a call wakes the
 * worker when the call's GEMMs are large enough to pay for a wake-up; later pairs use it only while it
 * is awake (it spins a while after each job). Otherwise, or with operands outside the heap, the second
 * GEMM runs here too (the same results either way).
 */
import type { FloatArray, TypedArray } from "../dtype";
import { heapOffset } from "../memory";
import { gemm } from "./gemm";
import { finishPostedGemm, postWholeGemm, wasmGemmParallel } from "./wasm/threads";
import { wasmGemmHere } from "./wasm/small-gemm";

/** A GEMM operand: data and element offset. */
export type Mat = { data: TypedArray; offset: number };

/** One GEMM C (m x n) = op(A) op(B) (or +=), column-major, as the chunk's body describes it. */
export interface GemmCall {
  ta: boolean;
  tb: boolean;
  m: number;
  n: number;
  k: number;
  a: Mat;
  b: Mat;
  c: Mat;
  acc: boolean;
}

/** A kernel's work on one chunk (samples [n0, n0+nb), group), in scratch slot `slot`. */
export interface ChunkBody {
  /** Main-thread work before the GEMM; fills `call` with the chunk's GEMM. */
  before(n0: number, nb: number, group: number, slot: number, call: GemmCall): void;
  /** Main-thread work after the GEMM. */
  after(n0: number, nb: number, group: number, slot: number): void;
}

export const newGemmCall = (): GemmCall => {
  const m: Mat = { data: new Float32Array(0), offset: 0 };
  return { ta: false, tb: false, m: 0, n: 0, k: 0, a: m, b: m, c: m, acc: false };
};

/**
 * C = op(A) op(B) on the Wasm GEMM when all three are Float32 in the heap (split over threads when large,
 * unless `alone`: then on this thread only, as while a worker runs a posted GEMM), else the JS GEMM.
 */
export function runGemm(g: GemmCall, alone = false): void {
  const ao = heapOffset(g.a.data, g.a.offset), bo = heapOffset(g.b.data, g.b.offset), co = heapOffset(g.c.data, g.c.offset);
  if (g.a.data instanceof Float32Array && ao >= 0 && bo >= 0 && co >= 0) {
    if (alone) return wasmGemmHere(g.ta, g.tb, g.m, g.n, g.k, ao, bo, co, g.acc);
    return wasmGemmParallel(g.ta, g.tb, g.m, g.n, g.k, ao, bo, co, g.acc);
  }
  gemm(g.ta, g.tb, g.m, g.n, g.k, g.a.data as FloatArray, g.a.offset, g.b.data as FloatArray, g.b.offset, g.c.data as FloatArray, g.c.offset, g.acc);
}

/**
 * Posts `g` to a worker when it can run there (waking a sleeping one only for `streamWork`, the m*n*k of
 * the posts to come, large enough to pay for it); returns the ticket, or 0 (then the caller runs it).
 */
function post(g: GemmCall, streamWork: number): number {
  if (!(g.a.data instanceof Float32Array)) return 0;
  const ao = heapOffset(g.a.data, g.a.offset), bo = heapOffset(g.b.data, g.b.offset), co = heapOffset(g.c.data, g.c.offset);
  return ao >= 0 && bo >= 0 && co >= 0 ? postWholeGemm(g.ta, g.tb, g.m, g.n, g.k, ao, bo, co, g.acc, streamWork) : 0;
}

/** The chunk loop of one kernel call: chunks of `chunk` samples times `groups`, two at a time. */
export class ChunkPairs {
  private readonly calls: [GemmCall, GemmCall] = [newGemmCall(), newGemmCall()];

  constructor(private readonly batch: number, private readonly chunk: number, private readonly groups: number) {}

  run(body: ChunkBody): void {
    const { batch, chunk, groups, calls } = this;
    const items = Math.ceil(batch / chunk) * groups;
    const n0Of = (i: number) => Math.floor(i / groups) * chunk, nbOf = (i: number) => Math.min(chunk, batch - n0Of(i));
    if (items > 0) body.before(n0Of(0), nbOf(0), 0, 0, calls[0]);
    for (let i = 0; i < items; i += 2) {
      const pair = i + 1 < items, j = i + 1;
      if (pair) body.before(n0Of(j), nbOf(j), j % groups, 1, calls[1]);
      // the first post may wake the worker for the whole call's second halves; later ones only use it awake
      const ticket = pair ? post(calls[1], i === 0 ? Math.floor(items / 2) * calls[1].m * calls[1].n * calls[1].k : 0) : 0;
      runGemm(calls[0], ticket !== 0);
      // while the worker may still run the second GEMM: finish this chunk and prepare the next pair's first
      body.after(n0Of(i), nbOf(i), i % groups, 0);
      if (i + 2 < items) body.before(n0Of(i + 2), nbOf(i + 2), (i + 2) % groups, 0, calls[0]);
      if (ticket !== 0) finishPostedGemm(ticket);
      else if (pair) runGemm(calls[1]);
      if (pair) body.after(n0Of(j), nbOf(j), j % groups, 1);
    }
  }
}
