/**
 * Products with a dimension of one, where the blocked GEMM would spend more on packing than on the
 * arithmetic: a matrix times a vector (n = 1, or m = 1 read as its transpose) and an outer product
 * (k = 1). They run gemv_f32 / ger_f32 (packages/graph/wasm/gemv-f32.mjs), which read the operands in
 * place, with the same epilogue (bias per row of C, then relu) as the GEMM.
 */
import { kernelExports } from "./runtime";
import { checkGemmArgs } from "./kernel-calls";
import { checkBias, EPI_BIAS } from "./gemm-epilogue";

/**
 * C = epilogue(op(A) op(B)) (byte offsets, C m x n column-major, overwritten) when one of m, n, k is 1;
 * false, with nothing done, for any other shape (and for m = 1 with an epilogue, whose bias is per row).
 */
export function wasmSkinnyGemm(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  aOff: number, bOff: number, cOff: number, biasOff: number, epi: number,
): boolean {
  const matvec = n === 1, vecmat = m === 1 && epi === 0, outer = k === 1;
  if (k === 0 || !(matvec || vecmat || outer)) return false;
  checkGemmArgs(m, n, k, aOff, bOff, cOff);
  if ((epi & EPI_BIAS) !== 0) checkBias(m, biasOff);
  const ex = kernelExports();
  // op(B) (k x 1) and op(A) (1 x k) are contiguous vectors whatever their transpose flag says
  if (matvec) ex.gemv_f32(transA ? 1 : 0, m, k, aOff, bOff, cOff, biasOff, epi);
  else if (vecmat) ex.gemv_f32(transB ? 0 : 1, n, k, bOff, aOff, cOff, 0, 0); // Cᵀ = op(B)ᵀ op(A)ᵀ
  else ex.ger_f32(m, n, aOff, bOff, cOff, biasOff, epi);
  return true;
}
