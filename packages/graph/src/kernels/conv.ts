/**
 * Convolution and its two adjoints as im2col + GEMM. Float32 operands in the WebAssembly heap run on
 * the SIMD GEMM (split over two threads when large); everything else on the JS GEMM.
 *
 * Samples are processed in chunks: a chunk's column matrix stacks the chunk's samples' rows, so small
 * images still make one tall GEMM. A chunk of one sample writes the output (or reads the output
 * gradient) in place; larger chunks go through a staging matrix. Scratch is allocated once, when the
 * kernel is built, so a compiled plan's runs allocate nothing.
 */
import type { FloatArray, FloatDType, TypedArray } from "../dtype";
import type { Slot } from "../ops/types";
import type { ConvGeometry } from "../ops/conv-geometry";
import { allocLongLived, heapOffset } from "../memory";
import { gemm } from "./gemm";
import { GEMM_F32_PARAMS, wasmGemmParallel } from "./wasm";
import { col2imAdd, im2col, rowTable, type ColPlace, type RowTable } from "./conv-im2col";
import { stageRowsInHeap } from "./conv-stage";

/**
 * Elements of column matrix per chunk (64 KiB of Float32) unless one sample needs more: the matrix stays
 * in cache between im2col and the GEMM, and samples of a LeNet-sized column matrix or larger run one at
 * a time with the output written in place (no staging).
 */
const CHUNK_ELEMENTS = 1 << 14;

type Mat = { data: TypedArray; offset: number };

/** C (m x n) = op(A) op(B) (or +=), on the Wasm GEMM when all three are Float32 in the heap. */
function gemmAt(f32: boolean, ta: boolean, tb: boolean, m: number, n: number, k: number, a: Mat, b: Mat, c: Mat, acc: boolean): void {
  if (f32) {
    const ao = heapOffset(a.data, a.offset), bo = heapOffset(b.data, b.offset), co = heapOffset(c.data, c.offset);
    if (ao >= 0 && bo >= 0 && co >= 0) return wasmGemmParallel(ta, tb, m, n, k, ao, bo, co, acc);
  }
  gemm(ta, tb, m, n, k, a.data as FloatArray, a.offset, b.data as FloatArray, b.offset, c.data as FloatArray, c.offset, acc);
}

/** Sizes and scratch shared by the three kernels of one geometry. */
class ConvPlan {
  readonly P: number;
  readonly KC: number;
  readonly coutG: number;
  readonly chunk: number;
  readonly col: TypedArray;
  readonly stage: TypedArray;
  readonly f32: boolean;
  /** The im2col rows of one channel. */
  readonly rows: RowTable;
  readonly wStage: TypedArray;
  readonly wStageMat: Mat;
  /** The column matrix as a GEMM operand. */
  readonly colMat: Mat;

  constructor(readonly g: ConvGeometry, dtype: FloatDType) {
    this.P = g.outS[0]! * g.outS[1]! * g.outS[2]!;
    this.KC = g.k[0]! * g.k[1]! * g.k[2]! * (g.cin / g.groups);
    this.coutG = g.cout / g.groups;
    this.chunk = Math.max(1, Math.min(g.batch, Math.floor(CHUNK_ELEMENTS / Math.max(1, this.P * this.KC))));
    this.col = allocLongLived(dtype, this.chunk * this.P * this.KC);
    this.stage = allocLongLived(dtype, this.chunk * this.P * this.coutG);
    this.f32 = dtype === "f32";
    this.colMat = { data: this.col, offset: 0 };
    this.rows = rowTable(g);
    this.wStage = allocLongLived(dtype, this.f32 ? this.KC * g.cout : 0);
    this.wStageMat = { data: this.wStage, offset: 0 };
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

  /** Copies the chunk's rows of y-shaped data into the staging matrix [nb*P, coutG], or back. */
  stageRows(toStage: boolean, y: Slot, n0: number, nb: number, group: number): void {
    const { P, coutG, stage } = this, rows = nb * P;
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

  /** Writes the transposed staging matrix [coutG, nb*P] into y-shaped data. */
  unstageTransposed(y: Slot, n0: number, nb: number, group: number): void {
    const { P, coutG, stage } = this;
    for (let i = 0; i < nb; i++) {
      const yo = y.offset + this.yAt(n0 + i, group);
      for (let c = 0; c < coutG; c++) {
        for (let p = 0, s = c + coutG * i * P; p < P; p++, s += coutG) y.data[yo + c * P + p] = stage[s]!;
      }
    }
  }

  /** Runs `body(n0, nb, group, place)` over sample chunks and groups. */
  forChunks(body: (n0: number, nb: number, group: number, place: ColPlace) => void): void {
    const { g, chunk, col } = this;
    for (let n0 = 0; n0 < g.batch; n0 += chunk) {
      const nb = Math.min(chunk, g.batch - n0);
      for (let group = 0; group < g.groups; group++) body(n0, nb, group, { col, colOff: 0, rowOff: 0, ld: nb * this.P });
    }
  }

  /** Column matrix of samples [n0, n0+nb) of `x` into `place`. */
  gather(x: Slot, n0: number, nb: number, group: number, place: ColPlace): void {
    for (let i = 0; i < nb; i++) im2col(this.g, this.rows, x.data, x.offset, n0 + i, group, { ...place, rowOff: i * this.P });
  }
}

/**
 * Whether Cout/G is wide enough that the two-thread GEMM would split the product Y[rows, Cout/G] by
 * columns, each thread packing the whole column matrix. Then the kernels compute the transposed,
 * wide product instead, whose split gives each thread half of the column matrix.
 */
const wideOutput = (coutG: number): boolean => coutG >= 8 * GEMM_F32_PARAMS.NR;

/** y = conv(x, w): per chunk and group, Y[rows, Cout/G] = col(x) * W_g (or its transpose when wide, then transposed into y). */
export function convKernel(g: ConvGeometry, dtype: FloatDType): (y: Slot, x: Slot, w: Slot) => void {
  const cp = new ConvPlan(g, dtype);
  const { KC, coutG, P, f32 } = cp;
  const stage = { data: cp.stage, offset: 0 }, wide = wideOutput(coutG);
  return (y, x, filter) => {
    const w = cp.filter(filter);
    cp.forChunks((n0, nb, group, place) => {
      cp.gather(x, n0, nb, group, place);
      const wg = { data: w.data, offset: w.offset + group * KC * coutG };
      if (wide) {
        gemmAt(f32, true, true, coutG, nb * P, KC, wg, cp.colMat, stage, false);
        cp.unstageTransposed(y, n0, nb, group);
      } else if (cp.inPlace(nb, y)) {
        gemmAt(f32, false, false, nb * P, coutG, KC, cp.colMat, wg, { data: y.data, offset: y.offset + cp.yAt(n0, group) }, false);
      } else {
        gemmAt(f32, false, false, nb * P, coutG, KC, cp.colMat, wg, stage, false);
        cp.stageRows(false, y, n0, nb, group);
      }
    });
  };
}

/** The output gradient's rows of a chunk, as a matrix [nb*P, Cout/G] (in place or staged). */
function dyRows(cp: ConvPlan, dy: Slot, n0: number, nb: number, group: number): Mat {
  if (cp.inPlace(nb, dy)) return { data: dy.data, offset: dy.offset + cp.yAt(n0, group) };
  cp.stageRows(true, dy, n0, nb, group);
  return { data: cp.stage, offset: 0 };
}

/** dx = ∇conv_data(dy, w): col = dY * W_gᵀ, then col2im adds each column back where it was read. */
export function convDataKernel(g: ConvGeometry, dtype: FloatDType, dxLength: number): (dx: Slot, dy: Slot, w: Slot) => void {
  const cp = new ConvPlan(g, dtype);
  const { KC, coutG, P, f32 } = cp;
  return (dx, dy, filter) => {
    const w = cp.filter(filter);
    dx.data.fill(0, dx.offset, dx.offset + dxLength);
    cp.forChunks((n0, nb, group, place) => {
      const rows = dyRows(cp, dy, n0, nb, group);
      const wg = { data: w.data, offset: w.offset + group * KC * coutG };
      gemmAt(f32, false, true, nb * P, KC, coutG, rows, wg, cp.colMat, false);
      for (let i = 0; i < nb; i++) col2imAdd(g, cp.rows, { ...place, rowOff: i * P }, dx.data, dx.offset, n0 + i, group);
    });
  };
}

/**
 * dw = ∇conv_filter(x, dy): W_g (+)= col(x)ᵀ * dY summed over chunks; when Cout/G is wide, W_gᵀ (+)= dYᵀ * col(x)
 * into a transposed staging filter instead, then transposed into dw.
 */
export function convFilterKernel(g: ConvGeometry, dtype: FloatDType): (dw: Slot, x: Slot, dy: Slot) => void {
  const cp = new ConvPlan(g, dtype);
  const { KC, coutG, P, f32 } = cp;
  const wide = wideOutput(coutG);
  const dwT = allocLongLived(dtype, wide ? g.groups * coutG * KC : 0);
  return (dw, x, dy) => {
    cp.forChunks((n0, nb, group, place) => {
      cp.gather(x, n0, nb, group, place);
      const rows = dyRows(cp, dy, n0, nb, group);
      if (wide) gemmAt(f32, true, false, coutG, KC, nb * P, rows, cp.colMat, { data: dwT, offset: group * coutG * KC }, n0 > 0);
      else gemmAt(f32, true, false, KC, coutG, nb * P, cp.colMat, rows, { data: dw.data, offset: dw.offset + group * KC * coutG }, n0 > 0);
    });
    if (!wide) return;
    // dw[j, c] of group block b = dwT[c, j] of block b
    for (let b = 0; b < g.groups; b++) {
      const off = b * coutG * KC;
      for (let c = 0; c < coutG; c++) for (let j = 0; j < KC; j++) dw.data[dw.offset + off + j + KC * c] = dwT[off + c + coutG * j]!;
    }
  };
}
