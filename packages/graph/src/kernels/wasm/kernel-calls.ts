/** Calls into the kernels module: the one-thread GEMM (with its scratch), warm-up, Adam, a middle-axis sum and a finiteness check. */
import { GEMM_F32_PARAMS } from "./generated/kernels-wasm";
import { wasmAlloc, wasmFree, kernelExports, wasmMemory } from "./runtime";
import { GRANULE } from "./heap-allocator";
import { wasmF32 } from "./views";

/**
 * Bytes of pack scratch one gemm_f32 call on (m, n, k) needs: with kcp = roundup(min(k, KC), KU),
 * align64(4 * roundup(min(m, MC), MR) * kcp) + align64(4 * roundup(min(n, NC), NR) * kcp) + align64(4 * MR * NR),
 * i.e. at most 655,488 bytes (gemmMaxScratchBytes()) for MR=8, NR=4, KU=1, KC=256, MC=512, NC=128.
 */
export function gemmScratchBytes(m: number, n: number, k: number): number {
  return kernelExports().gemm_f32_scratch_bytes(m, n, k);
}

/** Scratch size that fits every (m, n, k): the packed blocks are capped at MC x KC and KC x NC. */
export function gemmMaxScratchBytes(): number {
  const { MC, NC, KC } = GEMM_F32_PARAMS;
  return gemmScratchBytes(MC, NC, KC);
}

let scratch = 0;

/** The calling thread's GEMM pack buffer (allocated once, max size). */
function mainScratch(): number {
  if (scratch === 0) scratch = wasmAlloc(gemmMaxScratchBytes(), GRANULE);
  return scratch;
}

/** Checks GEMM arguments: non-negative int32 sizes and operands inside the memory. */
export function checkGemmArgs(m: number, n: number, k: number, aOff: number, bOff: number, cOff: number): void {
  const limit = wasmMemory().buffer.byteLength;
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
  checkGemmArgs(m, n, k, aOff, bOff, cOff);
  const scratchOff = mainScratch();
  kernelExports().gemm_f32_range(transA ? 1 : 0, transB ? 1 : 0, m, n, k, aOff, bOff, cOff, accumulate ? 1 : 0, scratchOff, m0, m1, n0, n1);
}

/**
 * Runs a few small GEMMs in all transpose combinations so V8 tiers the kernels up to TurboFan
 * (no OSR for wasm: the first large call would otherwise run in the baseline compiler). ~10 ms.
 */
export function wasmWarmup(size = 128, rounds = 4): void {
  const bytes = 4 * size * size;
  const a = wasmAlloc(bytes, GRANULE);
  const b = wasmAlloc(bytes, GRANULE);
  const c = wasmAlloc(bytes, GRANULE);
  try {
    wasmF32().fill(0.5, a >>> 2, (a + bytes) >>> 2);
    wasmF32().fill(0.25, b >>> 2, (b + bytes) >>> 2);
    for (let r = 0; r < rounds; r++) {
      for (let combo = 0; combo < 4; combo++) wasmGemm((combo & 1) !== 0, (combo & 2) !== 0, size, size, size, a, b, c, r > 0);
    }
  } finally {
    wasmFree(a);
    wasmFree(b);
    wasmFree(c);
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
  // the coefficients travel through memory: passing non-integer numbers to Wasm boxes each one
  if (adamCoefficients === 0) adamCoefficients = wasmAlloc(32, GRANULE);
  const f32 = wasmF32(), k = adamCoefficients >> 2;
  f32[k] = eta; f32[k + 1] = b1; f32[k + 2] = b2; f32[k + 3] = eps;
  f32[k + 4] = a1; f32[k + 5] = a2; f32[k + 6] = c1; f32[k + 7] = c2;
  kernelExports().adam_f32(x, g, m, v, n, adamCoefficients);
}

let adamCoefficients = 0;

/** y[:, p] = Σ_r x[:, r, p] for a column-major Float32 [pre, red, post] array (byte offsets). */
export function wasmSumMiddleF32(x: number, y: number, pre: number, red: number, post: number): void {
  kernelExports().sum_middle_f32(x, y, pre, red, post);
}

/** Whether the n floats at byte offset x are all finite (no NaN, no ±Inf). */
export function wasmAllFiniteF32(x: number, n: number): boolean {
  return kernelExports().all_finite_f32(x, n) === 1;
}


export { GEMM_F32_PARAMS };
