/**
 * GEMMs that read their operands in place instead of packing them for the blocked kernel: skinny
 * products (a dimension of one, skinny-gemm.ts) and small ones (gemm_small_f32, from
 * packages/graph/wasm/gemm-small-f32.mjs), such as a convolution's per-image products
 * [576 x 25] * [25 x 6], where packing and the blocked kernel's 8x4 edge tiles cost more than the
 * arithmetic. The Wasm side decides which shapes are small, so a worker lane's jobs (gemm_f32_job)
 * choose exactly as the calling thread does.
 */
import { kernelExports, type KernelExports } from "./runtime";
import { checkGemmArgs } from "./kernel-calls";
import { checkBias, EPI_BIAS, wasmGemmEpiRange } from "./gemm-epilogue";
import { wasmSkinnyGemm } from "./skinny-gemm";

interface SmallGemmExports {
  gemm_small_f32(ta: number, tb: number, m: number, n: number, k: number, a: number, b: number, c: number, acc: number, bias: number, epi: number): number;
}

/**
 * C (+)= op(A) op(B) (the wasmGemm contract: byte offsets, column-major), then the epilogue `epi`
 * (wasmGemmEpiRange's: bias per row, relu), when the shape is small: A not transposed with n <= 16 or
 * k <= 16 and m*k <= 65536, or Aᵀ B with min(m, n) <= 16 and k*(m+n) <= 65536. Returns false, with
 * nothing done, for any other shape.
 */
export function wasmSmallGemm(
  transA: boolean, transB: boolean, m: number, n: number, k: number, aOff: number, bOff: number, cOff: number, accumulate: boolean,
  biasOff = 0, epi = 0,
): boolean {
  if (m === 0 || n === 0 || k === 0) return false;
  checkGemmArgs(m, n, k, aOff, bOff, cOff);
  if ((epi & EPI_BIAS) !== 0) checkBias(m, biasOff);
  const ex = kernelExports() as KernelExports & SmallGemmExports;
  return ex.gemm_small_f32(transA ? 1 : 0, transB ? 1 : 0, m, n, k, aOff, bOff, cOff, accumulate ? 1 : 0, biasOff, epi) === 1;
}

/**
 * Runs the product in place when it is skinny (not accumulating) or small; returns false, with nothing
 * done, when it needs the blocked GEMM. `biasOff` and `epi` as in wasmGemmEpiRange.
 */
export function wasmInPlaceGemm(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  aOff: number, bOff: number, cOff: number, accumulate: boolean, biasOff: number, epi: number,
): boolean {
  if (!accumulate && wasmSkinnyGemm(transA, transB, m, n, k, aOff, bOff, cOff, biasOff, epi)) return true;
  return wasmSmallGemm(transA, transB, m, n, k, aOff, bOff, cOff, accumulate, biasOff, epi);
}

/** A whole product without epilogue on the calling thread only: in place when it can, else blocked. */
export function wasmGemmHere(
  transA: boolean, transB: boolean, m: number, n: number, k: number, aOff: number, bOff: number, cOff: number, accumulate: boolean,
): void {
  if (!wasmInPlaceGemm(transA, transB, m, n, k, aOff, bOff, cOff, accumulate, 0, 0)) {
    wasmGemmEpiRange(transA, transB, m, n, k, aOff, bOff, cOff, accumulate, 0, m, 0, n, 0, 0);
  }
}
