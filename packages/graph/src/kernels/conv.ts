/**
 * Convolution and its two adjoints. Stride-1 2-d ones run on the direct kernels (conv-direct.ts) where
 * they fit; the rest as im2col + GEMM: Float32 operands in the WebAssembly heap on the SIMD GEMM,
 * everything else on the JS GEMM (also the fallback of a direct kernel for a call with operands outside
 * the heap; it is built, with its scratch, on first need, which a plan's arena in the heap never has).
 *
 * Samples are processed in chunks: a chunk's column matrix stacks the chunk's samples' rows, so small
 * images still make one tall GEMM. A chunk of one sample writes the output (or reads the output
 * gradient) in place; larger chunks go through a staging matrix. Chunks run two at a time
 * (conv-pairs.ts), the second one's GEMM on a worker thread, each with its own scratch slot. Scratch is
 * allocated once, when the kernel is built, so a compiled plan's runs allocate nothing.
 */
import type { FloatDType, TypedArray } from "../dtype";
import type { Slot } from "../ops/types";
import type { ConvGeometry } from "../ops/conv-geometry";
import { allocLongLived, heapOffset } from "../memory";
import { GEMM_F32_PARAMS } from "./wasm";
import { col2imAdd, im2col, rowTable, type ColPlace, type RowTable } from "./conv-im2col";
import { stageRowsInHeap } from "./conv-stage";
import { ChunkPairs, type GemmCall, type Mat } from "./conv-pairs";
import { addChannelBias, type ConvBias } from "./conv-bias";
import { zeroFill } from "./zero-fill";
import type { GemmActivation } from "./wasm/gemm-epilogue";
import { directConvFits, directConvolution, directFilterGradient } from "./conv-direct";

/**
 * Elements of column matrix per chunk (64 KiB of Float32) unless one sample needs more: the matrix stays
 * in cache between im2col and the GEMM, and samples of a LeNet-sized column matrix or larger run one at
 * a time with the output written in place (no staging).
 */
const CHUNK_ELEMENTS = 1 << 14;

/** Fills `call` with C (m x n) = op(A) op(B) (or +=). */
function setCall(call: GemmCall, ta: boolean, tb: boolean, m: number, n: number, k: number, a: Mat, b: Mat, c: Mat, acc: boolean): void {
  call.ta = ta;
  call.tb = tb;
  call.m = m;
  call.n = n;
  call.k = k;
  call.a = a;
  call.b = b;
  call.c = c;
  call.acc = acc;
}

/** Sizes and scratch (two slots, one per chunk of a pair) shared by the three kernels of one geometry. */
class ConvPlan {
  readonly P: number;
  readonly KC: number;
  readonly coutG: number;
  readonly chunk: number;
  readonly cols: [TypedArray, TypedArray];
  readonly stages: [TypedArray, TypedArray];
  readonly f32: boolean;
  /** The im2col rows of one channel. */
  readonly rows: RowTable;
  readonly wStage: TypedArray;
  readonly wStageMat: Mat;
  readonly pairs: ChunkPairs;

  constructor(readonly g: ConvGeometry, dtype: FloatDType) {
    this.P = g.outS[0]! * g.outS[1]! * g.outS[2]!;
    this.KC = g.k[0]! * g.k[1]! * g.k[2]! * (g.cin / g.groups);
    this.coutG = g.cout / g.groups;
    this.chunk = Math.max(1, Math.min(g.batch, Math.floor(CHUNK_ELEMENTS / Math.max(1, this.P * this.KC))));
    const scratch = (n: number): [TypedArray, TypedArray] => [allocLongLived(dtype, n), allocLongLived(dtype, n)];
    this.cols = scratch(this.chunk * this.P * this.KC);
    this.stages = scratch(this.chunk * this.P * this.coutG);
    this.f32 = dtype === "f32";
    this.rows = rowTable(g);
    this.wStage = allocLongLived(dtype, this.f32 ? this.KC * g.cout : 0);
    this.wStageMat = { data: this.wStage, offset: 0 };
    this.pairs = new ChunkPairs(g.batch, this.chunk, g.groups);
  }

  /** The filter as a GEMM operand: Float32 filters outside the heap are first copied into it (once per call). */
  filter(w: Slot): Mat {
    if (!this.f32 || heapOffset(w.data, w.offset) >= 0 || heapOffset(this.wStage, 0) < 0) return w;
    for (let i = 0; i < this.wStage.length; i++) this.wStage[i] = w.data[w.offset + i]!;
    return this.wStageMat;
  }

  /** Whether chunk rows for samples [n0, n0+nb) can use the data's own group block in place. */
  inPlace(nb: number, s: Slot): boolean {
    return nb === 1 && (!this.f32 || heapOffset(s.data, s.offset) >= 0);
  }

  /** Offset of output channel block `group` of sample `n` in y-shaped data. */
  yAt(n: number, group: number): number {
    return (n * this.g.cout + group * this.coutG) * this.P;
  }

  /** Copies the chunk's rows of y-shaped data into staging matrix `slot` [nb*P, coutG], or back. */
  stageRows(toStage: boolean, y: Slot, n0: number, nb: number, group: number, slot: number): void {
    const { P, coutG } = this, stage = this.stages[slot]!, rows = nb * P;
    const ps = heapOffset(stage, 0), py = heapOffset(y.data, y.offset);
    if (this.f32 && ps >= 0 && py >= 0) return stageRowsInHeap(toStage, ps >>> 2, (py >>> 2) + this.yAt(n0, group), this.g.cout * P, P, coutG, nb, rows);
    for (let i = 0; i < nb; i++) {
      for (let c = 0; c < coutG; c++) {
        const yo = y.offset + this.yAt(n0 + i, group) + c * P, so = i * P + c * rows;
        if (toStage) for (let p = 0; p < P; p++) stage[so + p] = y.data[yo + p]!;
        else for (let p = 0; p < P; p++) y.data[yo + p] = stage[so + p]!;
      }
    }
  }

  /** Writes the transposed staging matrix `slot` [coutG, nb*P] into y-shaped data. */
  unstageTransposed(y: Slot, n0: number, nb: number, group: number, slot: number): void {
    const { P, coutG } = this, stage = this.stages[slot]!;
    for (let i = 0; i < nb; i++) {
      const yo = y.offset + this.yAt(n0 + i, group);
      for (let c = 0; c < coutG; c++) {
        for (let p = 0, s = c + coutG * i * P; p < P; p++, s += coutG) y.data[yo + c * P + p] = stage[s]!;
      }
    }
  }

  /** Where sample `i` of a chunk goes in column matrix `slot`. */
  place(nb: number, i: number, slot: number): ColPlace {
    return { col: this.cols[slot]!, colOff: 0, rowOff: i * this.P, ld: nb * this.P };
  }

  /** Column matrix of samples [n0, n0+nb) of `x` into slot `slot`. */
  gather(x: Slot, n0: number, nb: number, group: number, slot: number): void {
    for (let i = 0; i < nb; i++) im2col(this.g, this.rows, x.data, x.offset, n0 + i, group, this.place(nb, i, slot));
  }

  /** The output gradient's rows of a chunk, as a matrix [nb*P, Cout/G] (in place or staged into `slot`). */
  dyRows(dy: Slot, n0: number, nb: number, group: number, slot: number): Mat {
    if (this.inPlace(nb, dy)) return { data: dy.data, offset: dy.offset + this.yAt(n0, group) };
    this.stageRows(true, dy, n0, nb, group, slot);
    return { data: this.stages[slot]!, offset: 0 };
  }

  /** Filter block of group `group` as a GEMM operand. */
  filterBlock(w: Mat, group: number): Mat {
    return { data: w.data, offset: w.offset + group * this.KC * this.coutG };
  }
}

/**
 * Whether Cout/G is wide enough that the two-thread GEMM would split the product Y[rows, Cout/G] by
 * columns, each thread packing the whole column matrix. Then the kernels compute the transposed,
 * wide product instead, whose split gives each thread half of the column matrix.
 */
const wideOutput = (coutG: number): boolean => coutG >= 8 * GEMM_F32_PARAMS.NR;

/**
 * y = conv(x, w): per chunk and group, Y[rows, Cout/G] = col(x) * W_g (or its transpose when wide, then
 * transposed into y). With `act`, the kernel takes a per-channel bias too and stores act(conv(x, w) .+ b),
 * each chunk's planes finished while still in cache.
 */
function im2colConvKernel(g: ConvGeometry, dtype: FloatDType, act?: GemmActivation): (y: Slot, x: Slot, w: Slot, b?: Slot) => void {
  const cp = new ConvPlan(g, dtype);
  const { KC, coutG, P } = cp;
  const wide = wideOutput(coutG);
  const bias: ConvBias = { data: new Float32Array(0), offset: 0, act: act ?? "identity" };
  let y: Slot, x: Slot, w: Mat, biased = false;
  const body = {
    before(n0: number, nb: number, group: number, slot: number, call: GemmCall): void {
      cp.gather(x, n0, nb, group, slot);
      const wg = cp.filterBlock(w, group), col = { data: cp.cols[slot]!, offset: 0 }, stage = { data: cp.stages[slot]!, offset: 0 };
      if (wide) setCall(call, true, true, coutG, nb * P, KC, wg, col, stage, false);
      else if (cp.inPlace(nb, y)) setCall(call, false, false, nb * P, coutG, KC, col, wg, { data: y.data, offset: y.offset + cp.yAt(n0, group) }, false);
      else setCall(call, false, false, nb * P, coutG, KC, col, wg, stage, false);
    },
    after(n0: number, nb: number, group: number, slot: number): void {
      if (wide) cp.unstageTransposed(y, n0, nb, group, slot);
      else if (!cp.inPlace(nb, y)) cp.stageRows(false, y, n0, nb, group, slot);
      if (biased) for (let i = 0; i < nb; i++) addChannelBias(y.data, y.offset + cp.yAt(n0 + i, group), P, coutG, bias, bias.offset + group * coutG);
    },
  };
  return (ys, xs, filter, b) => {
    [y, x, w] = [ys, xs, cp.filter(filter)];
    biased = act !== undefined && b !== undefined;
    if (b) {
      bias.data = b.data;
      bias.offset = b.offset;
    }
    cp.pairs.run(body);
  };
}

/** dx = ∇conv_data(dy, w): col = dY * W_gᵀ, then col2im adds each column back where it was read. */
function im2colConvDataKernel(g: ConvGeometry, dtype: FloatDType, dxLength: number): (dx: Slot, dy: Slot, w: Slot) => void {
  const cp = new ConvPlan(g, dtype);
  const { KC, coutG, P } = cp;
  let dx: Slot, dy: Slot, w: Mat;
  const body = {
    before(n0: number, nb: number, group: number, slot: number, call: GemmCall): void {
      const rows = cp.dyRows(dy, n0, nb, group, slot);
      setCall(call, false, true, nb * P, KC, coutG, rows, cp.filterBlock(w, group), { data: cp.cols[slot]!, offset: 0 }, false);
    },
    after(n0: number, nb: number, group: number, slot: number): void {
      for (let i = 0; i < nb; i++) col2imAdd(g, cp.rows, cp.place(nb, i, slot), dx.data, dx.offset, n0 + i, group);
    },
  };
  return (dxs, dys, filter) => {
    [dx, dy, w] = [dxs, dys, cp.filter(filter)];
    zeroFill(dx.data, dx.offset, dx.offset + dxLength);
    cp.pairs.run(body);
  };
}

/**
 * dw = ∇conv_filter(x, dy): W_g (+)= col(x)ᵀ * dY summed over chunks; when Cout/G is wide, W_gᵀ (+)= dYᵀ * col(x)
 * into a transposed staging filter instead, then transposed into dw. Slot 1 chunks sum into their own
 * filter-sized accumulator, added in at the end.
 */
function im2colConvFilterKernel(g: ConvGeometry, dtype: FloatDType): (dw: Slot, x: Slot, dy: Slot) => void {
  const cp = new ConvPlan(g, dtype);
  const { KC, coutG, P } = cp;
  const wide = wideOutput(coutG), size = g.groups * coutG * KC;
  // accumulators per slot: slot 0 writes dw itself (or dwT when wide), slot 1 its own block
  const acc: [TypedArray, TypedArray] = [allocLongLived(dtype, wide ? size : 0), allocLongLived(dtype, size)];
  const started = new Uint8Array(2 * g.groups);
  let dw: Slot, x: Slot, dy: Slot;
  const target = (slot: number, group: number): Mat =>
    slot === 0 && !wide ? { data: dw.data, offset: dw.offset + group * KC * coutG } : { data: acc[slot]!, offset: group * coutG * KC };
  const body = {
    before(n0: number, nb: number, group: number, slot: number, call: GemmCall): void {
      cp.gather(x, n0, nb, group, slot);
      const rows = cp.dyRows(dy, n0, nb, group, slot), col = { data: cp.cols[slot]!, offset: 0 }, first = started[2 * group + slot] === 0;
      started[2 * group + slot] = 1;
      if (wide) setCall(call, true, false, coutG, KC, nb * P, rows, col, target(slot, group), !first);
      else setCall(call, true, false, KC, coutG, nb * P, col, rows, target(slot, group), !first);
    },
    after(): void {},
  };
  return (dws, xs, dys) => {
    [dw, x, dy] = [dws, xs, dys];
    started.fill(0);
    cp.pairs.run(body);
    for (let b = 0; b < g.groups; b++) collect(b);
  };

  /** dw's group block b from the slots' accumulators: dw = slot 0 (+ slot 1), transposed back when wide. */
  function collect(b: number): void {
    const off = b * coutG * KC, [s0, s1] = [started[2 * b] === 1, started[2 * b + 1] === 1];
    if (!wide && !s1) return;
    const [a0, a1] = acc;
    for (let c = 0; c < coutG; c++) {
      for (let j = 0; j < KC; j++) {
        // wide accumulators hold dwT[c, j] (at c + coutG*j); the others dw[j, c] (at j + KC*c)
        const at = wide ? off + c + coutG * j : off + j + KC * c, o = dw.offset + off + j + KC * c;
        const base = wide ? (s0 ? a0[at]! : 0) : s0 ? dw.data[o]! : 0;
        dw.data[o] = s1 ? base + a1[wide ? off + c + coutG * j : at]! : base;
      }
    }
  }
}

/** A conv kernel: three operands, and a bias for the forward one. */
type ConvRun = (a: Slot, b: Slot, c: Slot, d?: Slot) => void;

/**
 * The direct kernel when the geometry fits it, else the im2col one; a direct kernel falls back to the
 * im2col one (built, with its scratch, on first need) for a call whose operands are not all in the heap.
 */
function directOrIm2col(direct: ((a: Slot, b: Slot, c: Slot, d?: Slot) => boolean) | undefined, im2col: () => ConvRun): ConvRun {
  if (!direct) return im2col();
  let fallback: ConvRun | undefined;
  return (a, b, c, d) => {
    if (!direct(a, b, c, d)) (fallback ??= im2col())(a, b, c, d);
  };
}

/** y = conv(x, w) (with act(· .+ b) when `act` is given): direct, or im2col + GEMM. */
export function convKernel(g: ConvGeometry, dtype: FloatDType, act?: GemmActivation): (y: Slot, x: Slot, w: Slot, b?: Slot) => void {
  const direct = directConvFits(g, dtype, "forward") ? directConvolution(g, "forward", act ?? "identity") : undefined;
  const withBias = direct && ((y: Slot, x: Slot, w: Slot, b?: Slot) => direct(y, x, w, act !== undefined ? b : undefined));
  return directOrIm2col(withBias, () => im2colConvKernel(g, dtype, act));
}

/** dx = ∇conv_data(dy, w): direct, or im2col + GEMM. */
export function convDataKernel(g: ConvGeometry, dtype: FloatDType, dxLength: number): (dx: Slot, dy: Slot, w: Slot) => void {
  const direct = directConvFits(g, dtype, "data") ? directConvolution(g, "data", "identity") : undefined;
  return directOrIm2col(direct, () => im2colConvDataKernel(g, dtype, dxLength));
}

/** dw = ∇conv_filter(x, dy): direct, or im2col + GEMM. */
export function convFilterKernel(g: ConvGeometry, dtype: FloatDType): (dw: Slot, x: Slot, dy: Slot) => void {
  return directOrIm2col(directConvFits(g, dtype, "filter") ? directFilterGradient(g) : undefined, () => im2colConvFilterKernel(g, dtype));
}
