/**
 * Blocked GEMM in plain JS, column-major, GotoBLAS/BLIS structure:
 *
 *   for jc (NC columns of C) / pc (KC of k): pack op(B)[pc.., jc..] into NR-column panels
 *     for ic (MC rows of C): pack op(A)[ic.., pc..] into MR-row panels
 *       for jr, ir: micro-kernel on one MR x NR tile of C, accumulating in locals over KC
 *
 * Transposes exist only in the packing routine: every operand is read through a (row stride, k stride)
 * pair, so after packing all four (transA, transB) cases run the same micro-kernel at the same speed.
 * Vector shapes (m == 1 or n == 1) and tiny products skip packing and use strided matrix-vector loops.
 *
 * Why the numbers below (measured on V8 / Node 20, see bench/gemm-js.ts):
 * - Packed operands are plain JS arrays of doubles (PACKED_DOUBLE_ELEMENTS), not typed arrays. V8 loads
 *   from them with an elements pointer + one bounds check; a Float64Array load also recomputes
 *   base + external pointer and sign-extends the index: ~5.1 vs ~7.0 GFLOP/s in this instruction-bound loop.
 *   Float32 inputs are widened exactly to doubles when packed, so the f32 path accumulates in f64.
 * - The register tile is 2x2 with k unrolled by 2: 4 accumulators + 8 operands fit V8's 15 usable XMM
 *   registers with no spills. 4x4 / 4x8 tiles spill accumulators every iteration and reached only 4.8-5.5.
 * - V8 optimises typed-array accesses per site for the kinds it has seen, so the whole kernel is one
 *   source string compiled twice with `new Function`: one copy only ever sees Float32Array, the other
 *   Float64Array. (Copies made from a TS function's toString() break under coverage instrumentation.)
 */
export type FloatArray = Float32Array | Float64Array;

type GemmImpl = (
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  a: FloatArray, aOff: number, b: FloatArray, bOff: number, c: FloatArray, cOff: number, accumulate: boolean,
) => void;

let packAllocations = 0;

/** Number of times a pack or scratch buffer has been (re)allocated; stays constant once sizes are warm. */
export function gemmPackAllocations(): number {
  return packAllocations;
}

/** A PACKED_DOUBLE_ELEMENTS array of length n (push from a double literal; `new Array(n)` would be holey). */
function allocPack(n: number): number[] {
  packAllocations++;
  const buf = [0.5];
  for (let i = 1; i < n; i++) buf.push(0.5);
  return buf;
}

/** A Float64Array scratch column of length n (f64 accumulator of the direct matrix-vector path). */
function allocColumn(n: number): Float64Array {
  packAllocations++;
  return new Float64Array(n);
}

/**
 * The kernel source, compiled once per element type. Runs with `allocPack` and `allocColumn` in scope and
 * returns the GemmImpl. `| 0` on index arithmetic lets V8 use int32 adds without overflow checks.
 */
const GEMM_SOURCE = String.raw`
"use strict";
const MR = 2, NR = 2;                  // register tile (the micro-kernel below is written out for 2 x 2)
const KC = 256, MC = 128, NC = 512;    // cache blocks: packed A block MC x KC (256 KB, L2); B block KC x NC
const SMALL = 512;                     // m * n * k below this takes the direct loops (measured crossover ~8x8x8)
const SMALL_K = 2;                     // inner dimensions up to this take smallK (rank-1 and rank-2 updates)
let packA = allocPack(MR), packB = allocPack(NR);  // packed operands, grown on demand, never shrunk
let column = allocColumn(1);                        // f64 column accumulator for the direct path

// Micro-kernel: tile C[ic + i + j * ldc] (= or +=) sum over kc of pa panel (MR x kc) times pb panel (kc x NR); mr, nr clip edges.
function kernel(kc, pa, ia, pb, ib, c, ic, ldc, mr, nr, beta) {
  let c00 = 0, c10 = 0, c01 = 0, c11 = 0;
  const kEven = kc - (kc & 1);
  for (let p = 0; p < kEven; p = (p + 2) | 0) {
    const a0 = pa[ia], a1 = pa[(ia + 1) | 0], b0 = pb[ib], b1 = pb[(ib + 1) | 0];
    const a2 = pa[(ia + 2) | 0], a3 = pa[(ia + 3) | 0], b2 = pb[(ib + 2) | 0], b3 = pb[(ib + 3) | 0];
    c00 += a0 * b0; c10 += a1 * b0; c01 += a0 * b1; c11 += a1 * b1;
    c00 += a2 * b2; c10 += a3 * b2; c01 += a2 * b3; c11 += a3 * b3;
    ia = (ia + 4) | 0; ib = (ib + 4) | 0;
  }
  if (kEven < kc) {
    const a0 = pa[ia], a1 = pa[(ia + 1) | 0], b0 = pb[ib], b1 = pb[(ib + 1) | 0];
    c00 += a0 * b0; c10 += a1 * b0; c01 += a0 * b1; c11 += a1 * b1;
  }
  const ic1 = ic + ldc;
  if (beta) {
    c[ic] += c00;
    if (mr > 1) c[ic + 1] += c10;
    if (nr > 1) { c[ic1] += c01; if (mr > 1) c[ic1 + 1] += c11; }
  } else {
    c[ic] = c00;
    if (mr > 1) c[ic + 1] = c10;
    if (nr > 1) { c[ic1] = c01; if (mr > 1) c[ic1 + 1] = c11; }
  }
}

// Packs rows x kc elements (r, p) = src[off + r * rs + p * ks] into 2-row k-major panels of dst, zero-padding an odd last row.
function pack(dst, src, off, rs, ks, rows, kc) {
  let d = 0;
  for (let r = 0; r < rows; r += 2) {
    let s = off + r * rs;
    if (r + 1 < rows) {
      for (let p = 0; p < kc; p++) { dst[d] = src[s]; dst[d + 1] = src[s + rs]; d += 2; s += ks; }
    } else {
      for (let p = 0; p < kc; p++) { dst[d] = src[s]; dst[d + 1] = 0; d += 2; s += ks; }
    }
  }
}

// Macro-kernel: the mc x nc block of C at ci (= or +=) packed A block times packed B block, tile by tile.
function macro(mc, nc, kc, c, ci, ldc, beta) {
  const pa = packA, pb = packB;
  for (let jr = 0; jr < nc; jr += NR) {
    const cj = ci + jr * ldc;
    for (let ir = 0; ir < mc; ir += MR) kernel(kc, pa, ir * kc, pb, jr * kc, c, cj + ir, ldc, mc - ir, nc - jr, beta);
  }
}

// Matrix-vector product y[yo + r] (= or +=) sum_p mat[mo + r * rs + p * ks] * vec[vo + p * vs] for r < rows, f64 accumulation.
function matvec(rows, k, mat, mo, rs, ks, vec, vo, vs, y, yo, accumulate) {
  if (rs === 1) {
    // axpy form: matrix columns are contiguous; accumulate in the f64 scratch column, 4 columns per sweep.
    if (column.length < rows) column = allocColumn(rows);
    const col = column, k4 = k - (k & 3);
    for (let r = 0; r < rows; r++) col[r] = 0;
    for (let p = 0; p < k4; p += 4) {
      const x0 = vec[vo + p * vs], x1 = vec[vo + (p + 1) * vs], x2 = vec[vo + (p + 2) * vs], x3 = vec[vo + (p + 3) * vs];
      const m0 = mo + p * ks, m1 = m0 + ks, m2 = m1 + ks, m3 = m2 + ks;
      for (let r = 0; r < rows; r++) col[r] += mat[m0 + r] * x0 + mat[m1 + r] * x1 + mat[m2 + r] * x2 + mat[m3 + r] * x3;
    }
    for (let p = k4; p < k; p++) {
      const x = vec[vo + p * vs], mp = mo + p * ks;
      for (let r = 0; r < rows; r++) col[r] += mat[mp + r] * x;
    }
    if (accumulate) for (let r = 0; r < rows; r++) y[yo + r] += col[r];
    else for (let r = 0; r < rows; r++) y[yo + r] = col[r];
  } else {
    // dot form: one dot product per row, 4 partial sums to hide the add latency.
    const k4 = k - (k & 3), m4 = 4 * ks, v4 = 4 * vs;
    for (let r = 0; r < rows; r++) {
      let im = mo + r * rs, iv = vo, s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let p = 0; p < k4; p += 4) {
        s0 += mat[im] * vec[iv]; s1 += mat[im + ks] * vec[iv + vs];
        s2 += mat[im + 2 * ks] * vec[iv + 2 * vs]; s3 += mat[im + 3 * ks] * vec[iv + 3 * vs];
        im += m4; iv += v4;
      }
      for (let p = k4; p < k; p++) { s0 += mat[im] * vec[iv]; im += ks; iv += vs; }
      const s = (s0 + s1) + (s2 + s3);
      if (accumulate) y[yo + r] += s; else y[yo + r] = s;
    }
  }
}

// C[:, j] (+)= sum over p of op(A)[:, p] op(B)[p, j]: for a small inner dimension (k = 1 is an outer
// product, as in a batch-1 weight gradient) packing costs more than the arithmetic.
function smallK(m, n, k, a, aOff, ars, aks, b, bOff, bks, bcs, c, cOff, accumulate) {
  if (k === 1 && !accumulate && ars === 1) {
    // the outer product a bᵀ, one store per element
    for (let j = 0; j < n; j++) {
      const bj = b[bOff + j * bcs], cj = cOff + j * m | 0;
      for (let i = 0; i < m; i++) c[cj + i] = a[aOff + i] * bj;
    }
    return;
  }
  for (let j = 0; j < n; j++) {
    const cj = cOff + j * m | 0;
    if (!accumulate) for (let i = 0; i < m; i++) c[cj + i] = 0;
    for (let p = 0; p < k; p++) {
      const bpj = b[bOff + p * bks + j * bcs];
      let ia = aOff + p * aks | 0;
      for (let i = 0; i < m; i++, ia = ia + ars | 0) c[cj + i] += a[ia] * bpj;
    }
  }
}

return function gemm(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate) {
  if (m === 0 || n === 0) return;
  if (k === 0) { if (!accumulate) c.fill(0, cOff, cOff + m * n); return; }
  // op(A)[i, p] = a[aOff + i * ars + p * aks];  op(B)[p, j] = b[bOff + p * bks + j * bcs]
  const ars = transA ? k : 1, aks = transA ? 1 : m;
  const bks = transB ? n : 1, bcs = transB ? 1 : k;
  if (m === 1) {
    // C^T = op(B)^T op(A)^T: a matrix-vector product over the rows of op(B)^T (C is a contiguous row).
    matvec(n, k, b, bOff, bcs, bks, a, aOff, aks, c, cOff, accumulate);
    return;
  }
  if (k <= SMALL_K && n > 1) {
    smallK(m, n, k, a, aOff, ars, aks, b, bOff, bks, bcs, c, cOff, accumulate);
    return;
  }
  if (n === 1 || m * n * k < SMALL) {
    for (let j = 0; j < n; j++) matvec(m, k, a, aOff, ars, aks, b, bOff + j * bcs, bks, c, cOff + j * m, accumulate);
    return;
  }
  const kb = Math.min(k, KC);
  const needA = (Math.min(m, MC) + 1 & ~1) * kb, needB = (Math.min(n, NC) + 1 & ~1) * kb;
  if (packA.length < needA) packA = allocPack(needA);
  if (packB.length < needB) packB = allocPack(needB);
  for (let jc = 0; jc < n; jc += NC) {
    const nc = Math.min(NC, n - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = Math.min(KC, k - pc), beta = accumulate || pc > 0;
      pack(packB, b, bOff + pc * bks + jc * bcs, bcs, bks, nc, kc);
      for (let ic = 0; ic < m; ic += MC) {
        const mc = Math.min(MC, m - ic);
        pack(packA, a, aOff + ic * ars + pc * aks, ars, aks, mc, kc);
        macro(mc, nc, kc, c, cOff + ic + jc * m, m, beta);
      }
    }
  }
};
`;

/** Compiles a private copy of the kernel source, so its access sites only ever see one array type. */
function instantiate(label: string): GemmImpl {
  const factory = new Function("allocPack", "allocColumn", `${GEMM_SOURCE}\n//# sourceURL=tsflux-gemm-${label}.js`);
  return factory(allocPack, allocColumn) as GemmImpl;
}

const gemmF32 = instantiate("f32");
const gemmF64 = instantiate("f64");

/** Throws unless x is a non-negative integer. */
function checkCount(name: string, x: number): void {
  if (!Number.isInteger(x) || x < 0) throw new RangeError(`gemm: ${name} must be a non-negative integer, got ${x}`);
}

/**
 * C = op(A) * op(B)   (or C += ... when accumulate), column-major.
 * op(A) is m x k: A is stored m x k column-major (lda = m) when !transA, or k x m (lda = k) when transA.
 * op(B) is k x n: B is stored k x n (ldb = k) when !transB, or n x k (ldb = n) when transB.
 * C is m x n column-major contiguous (ldc = m) starting at cOff. A, B, C have the same element type.
 * C must not alias A or B.
 */
export function gemm(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  a: FloatArray, aOff: number, b: FloatArray, bOff: number,
  c: FloatArray, cOff: number, accumulate: boolean,
): void {
  checkCount("m", m); checkCount("n", n); checkCount("k", k);
  checkCount("aOff", aOff); checkCount("bOff", bOff); checkCount("cOff", cOff);
  if (aOff + m * k > a.length || bOff + k * n > b.length || cOff + m * n > c.length) {
    throw new RangeError(`gemm: operand out of bounds for m=${m} n=${n} k=${k}`);
  }
  if (c instanceof Float32Array) {
    if (!(a instanceof Float32Array && b instanceof Float32Array)) throw new TypeError("gemm: A, B and C must all be Float32Array");
    gemmF32(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
  } else {
    if (!(a instanceof Float64Array && b instanceof Float64Array)) throw new TypeError("gemm: A, B and C must all be Float64Array");
    gemmF64(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
  }
}
