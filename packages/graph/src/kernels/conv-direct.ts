/**
 * Direct stride-1 2-d convolutions (Wasm `conv2d_f32`, `conv2d_data_f32`, `conv2d_filter_f32`;
 * packages/graph/wasm/conv-direct-f32.mjs and its set): an implicit GEMM that reads the input rows in
 * place, with no column matrix. The three kernels of a conv run on them when the geometry allows
 * (directConvFits):
 * - forward: y = Σ_t src(shifted by tap t) * f[t, :], the filter packed [taps][outputs];
 * - data gradient: a scatter, dx[o + k - lo] += Σ_c dy[o, c] f[k, c, :] for every tap k (no zero padding of dy);
 * - filter gradient: g[t, o] = Σ src(shifted by t) .* dy[:, o], then unpacked (and flipped) into dw.
 * A call and the worker lanes share the batch, each claiming a few samples at a time, its own part of
 * the batch first (kernels/wasm/shared-job.ts; the filter gradient sums into one block per thread, added
 * at the end).
 */
import type { FloatDType } from "../dtype";
import type { Slot } from "../ops/types";
import type { ConvGeometry } from "../ops/conv-geometry";
import { allocLongLived, heapOffset } from "../memory";
import { CONV_WORDS } from "./wasm/generated/kernels-wasm";
import { wasmAvailable } from "./wasm/runtime";
import { SharedKernelJob, sharingThreads } from "./wasm/shared-job";
import { epilogueMode, type GemmActivation } from "./wasm/gemm-epilogue";
import { gemmMaxScratchBytes } from "./wasm/kernel-calls";

/** A batch is claimed in about this many pieces: enough that no thread waits long for another's last piece. */
const CHUNKS_PER_BATCH = 32;

/** Which of a conv's three kernels. */
export type ConvDirection = "forward" | "data" | "filter";

/**
 * Gradients of filters larger than this (taps times output channels) run on im2col + the blocked GEMM.
 * The direct kernels won at every size measured, up to a 3x3 128 => 128 filter (147k entries), by less
 * as filters grow; beyond that the blocked GEMM's cache blocking is the safer bet.
 */
const GRADIENT_MAX_FILTER = 150000;

let enabled = true;
let calls = 0;

/** Calls that ran on the direct kernels so far (tests check that a geometry took this path). */
export function directConvCalls(): number {
  return calls;
}

/** Turns the direct kernels on (default) or off (im2col + GEMM for every conv) for plans compiled from now on; returns the old setting. */
export function setDirectConv(on: boolean): boolean {
  const old = enabled;
  enabled = on;
  return old;
}

/** Whether the direct kernels can run `direction` of geometry `g` in `dtype`. */
export function directConvFits(g: ConvGeometry, dtype: FloatDType, direction: ConvDirection): boolean {
  if (!enabled || dtype !== "f32" || !wasmAvailable() || g.groups !== 1) return false;
  if (g.inS[2] !== 1 || g.k[2] !== 1 || g.stride.some((s) => s !== 1) || g.dilation.some((d) => d !== 1)) return false;
  if (direction !== "forward" && g.k[0]! * g.k[1]! * g.cin * g.cout > GRADIENT_MAX_FILTER) return false;
  for (let d = 0; d < 2; d++) {
    const lo = g.lo[d]!, hi = g.outS[d]! + g.k[d]! - 1 - g.inS[d]! - lo;
    if (lo < 0 || hi < 0) return false;
  }
  // a worker lane's scratch must hold a sample's, or only the caller could run it (im2col + GEMM uses the lanes)
  return planes(g, direction).scratchBytes <= gemmMaxScratchBytes();
}

/**
 * The planes a kernel of `direction` works on: its input (x, or dy for the data gradient) [W, H, C], its
 * output (y, or dx) [WO, HO, CO], the padded widths and heights, the rows of the plane its tap table
 * indexes, and the scratch one thread needs per sample (the zero-bordered copy; the filter gradient's
 * dy transposed to [positions][outputs rounded up to 4]).
 */
function planes(g: ConvGeometry, direction: ConvDirection) {
  const [Win, Hin] = g.inS as [number, number], [Wo, Ho] = g.outS as [number, number], [Kw, Kh] = g.k as [number, number];
  const data = direction === "data";
  const [W, H, C] = data ? [Wo, Ho, g.cout] : [Win, Hin, g.cin];
  const [WO, HO, CO] = data ? [Win, Hin, g.cin] : [Wo, Ho, g.cout];
  const [WP, HP] = [Wo + Kw - 1, Ho + Kh - 1];
  const filterRows = direction === "filter" ? HP : H;
  const padded = data ? WP !== WO : WP !== W || (direction === "filter" && HP !== H);
  const resultStride = (CO + 3) & ~3;
  const transposed = direction === "filter" ? 4 * WO * HO * resultStride : 0;
  const scratchBytes = transposed + (padded ? (data ? 4 * WP * HO * CO : 4 * WP * filterRows * C) : 0);
  return { W, H, C, WO, HO, CO, WP, HP, filterRows, resultStride, scratchBytes };
}

/** The word block, tap table, packed filter and scratch of one direction of one geometry. */
class DirectConv {
  private readonly words: Int32Array;
  /** Each tap's byte offset in the input plane (held here: the heap block lives as long as this view). */
  private readonly table: Int32Array;
  private readonly taps: number;
  /** Filter element behind packed entry (forward, data) or result entry (filter) `t * outputs + o`. */
  private readonly filterIndex: Int32Array;
  private packed: Float32Array;
  private readonly scratch: Float32Array;
  private readonly resultStride: number;
  private readonly job: SharedKernelJob;
  private readonly chunk: number;
  private readonly batch: number;

  constructor(g: ConvGeometry, direction: ConvDirection) {
    const [Wo, Ho] = g.outS as [number, number], [Kw, Kh] = g.k as [number, number];
    const data = direction === "data";
    const { W, H, C, WO, HO, CO, WP, HP, filterRows, resultStride, scratchBytes } = planes(g, direction);
    this.taps = Kw * Kh * C;
    this.batch = g.batch;
    const work = g.batch * Wo * Ho * g.cout * Kw * Kh * g.cin;
    const words = (this.words = allocLongLived("i32", CONV_WORDS.SIZE) as Int32Array);
    words[CONV_WORDS.XS] = 4 * W * H * C;
    [words[CONV_WORDS.W], words[CONV_WORDS.H], words[CONV_WORDS.C], words[CONV_WORDS.LW], words[CONV_WORDS.LH]] = [W, H, C, g.lo[0]!, g.lo[1]!];
    [words[CONV_WORDS.WP], words[CONV_WORDS.HP], words[CONV_WORDS.WO], words[CONV_WORDS.HO], words[CONV_WORDS.CO]] = [WP, HP, WO, HO, CO];
    words[CONV_WORDS.YS] = 4 * WO * HO * CO;
    [words[CONV_WORDS.KW], words[CONV_WORDS.KH]] = [Kw, Kh];
    const table = (this.table = allocLongLived("i32", this.taps) as Int32Array);
    this.filterIndex = new Int32Array(this.taps * CO);
    for (let kh = 0; kh < Kh; kh++) for (let c = 0; c < C; c++) for (let kw = 0; kw < Kw; kw++) {
      const t = kw + Kw * (c + C * kh);
      table[t] = 4 * ((c * filterRows + kh) * WP + kw);
      // the filter as the forward pass applies it (cross-correlation): flipped for a true convolution
      const [fw, fh] = g.flip ? [Kw - 1 - kw, Kh - 1 - kh] : [kw, kh];
      for (let o = 0; o < CO; o++) {
        // forward and filter gradient: [taps (kh, c, kw)][outputs]; data gradient: [kh][kw][dy channel c][dx channel o]
        const [ci, co] = data ? [o, c] : [c, o], at = data ? ((kh * Kw + kw) * C + c) * CO + o : t * CO + o;
        this.filterIndex[at] = fw + Kw * (fh + Kh * (ci + g.cin * co));
      }
    }
    words[CONV_WORDS.T] = heapOffset(this.table, 0);
    this.job = new SharedKernelJob(direction === "filter" ? "conv2d_filter_f32" : data ? "conv2d_data_f32" : "conv2d_f32", words, CONV_WORDS, scratchBytes, work);
    this.chunk = Math.max(1, Math.ceil(g.batch / CHUNKS_PER_BATCH));
    // the filter gradient's sums are [taps][outputs rounded up to 4], one block per thread
    this.resultStride = resultStride;
    this.packed = allocLongLived("f32", direction === "filter" ? sharingThreads() * this.taps * resultStride : this.taps * CO) as Float32Array;
    words[CONV_WORDS.F] = heapOffset(this.packed, 0);
    this.scratch = allocLongLived("f32", Math.max(1, scratchBytes / 4)) as Float32Array;
  }

  /** y = conv(x, w) (or dx = ∇conv_data(dy, w)), with act(· .+ b) when a bias is given. */
  convolve(y: Slot, x: Slot, w: Slot, b: Slot | undefined, act: GemmActivation): void {
    const { words, packed, filterIndex } = this;
    for (let i = 0; i < packed.length; i++) packed[i] = w.data[w.offset + filterIndex[i]!]!;
    words[CONV_WORDS.X] = heapOffset(x.data, x.offset);
    words[CONV_WORDS.Y] = heapOffset(y.data, y.offset);
    words[CONV_WORDS.BIAS] = b ? heapOffset(b.data, b.offset) : 0;
    words[CONV_WORDS.EPI] = epilogueMode(b !== undefined, act);
    calls++;
    this.job.run(this.chunk, this.batch, heapOffset(this.scratch, 0), 0, 0);
  }

  /** dw = ∇conv_filter(x, dy): the threads' tap-order sums, added and unpacked into dw. */
  filterGradient(dw: Slot, x: Slot, dy: Slot): void {
    const { words, filterIndex, taps, resultStride } = this, outputs = filterIndex.length / taps, n = taps * resultStride;
    words[CONV_WORDS.X] = heapOffset(x.data, x.offset);
    words[CONV_WORDS.Y] = heapOffset(dy.data, dy.offset);
    calls++;
    // one block of sums per thread: the blocks grow with the configured thread count (never on a warm step)
    const most = sharingThreads();
    if (this.packed.length < most * n) this.packed = allocLongLived("f32", most * n) as Float32Array;
    const threads = this.job.run(this.chunk, this.batch, heapOffset(this.scratch, 0), heapOffset(this.packed, 0), 4 * n, most);
    const packed = this.packed;
    for (let t = 0; t < taps; t++) {
      for (let o = 0, r = t * resultStride; o < outputs; o++, r++) {
        let s = packed[r]!;
        for (let k = 1; k < threads; k++) s += packed[k * n + r]!;
        dw.data[dw.offset + filterIndex[t * outputs + o]!] = s;
      }
    }
  }
}

/** Whether every operand is Float32 data in the heap (else the im2col kernels run). */
const inHeap = (s: Slot | undefined): boolean => s === undefined || (s.data instanceof Float32Array && heapOffset(s.data, s.offset) >= 0);

/** The forward (or data-gradient) direct kernel of `g`, or undefined when a call's operands are not all in the heap. */
export function directConvolution(g: ConvGeometry, direction: "forward" | "data", act: GemmActivation) {
  const conv = new DirectConv(g, direction);
  return (y: Slot, x: Slot, w: Slot, b?: Slot): boolean => {
    if (!inHeap(y) || !inHeap(x) || !inHeap(w) || !inHeap(b)) return false;
    conv.convolve(y, x, w, b, act);
    return true;
  };
}

/** The filter-gradient direct kernel of `g`; false when a call's operands are not all in the heap. */
export function directFilterGradient(g: ConvGeometry) {
  const conv = new DirectConv(g, "filter");
  return (dw: Slot, x: Slot, dy: Slot): boolean => {
    if (!inHeap(dw) || !inHeap(x) || !inHeap(dy)) return false;
    conv.filterGradient(dw, x, dy);
    return true;
  };
}
