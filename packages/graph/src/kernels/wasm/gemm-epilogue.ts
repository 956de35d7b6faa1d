/**
 * GEMM with a fused epilogue: column-major C = act(op(A) op(B) + bias) with one bias value per row of C,
 * applied to the register tile before it is stored (the kernel's last K block). A Dense layer
 * `act.(W * x .+ b)` is then one pass over C instead of three.
 *
 * The sum is (op(A) op(B)) + bias in that order and relu is `x < 0 ? 0 : x`, exactly as the unfused
 * GEMM, broadcast add and elementwise relu compute them, so the result is bit-identical to those.
 */
import { wasmAlloc, wasmInstance, type KernelExports } from "./runtime";
import { checkGemmArgs, gemmMaxScratchBytes, wasmGemmRange } from "./kernel-calls";

/** Activations the GEMM epilogue applies. */
export type GemmActivation = "identity" | "relu";

/** Epilogue mode bits of the kernel's `epi` argument (gemm-epilogue-f32.mjs). */
export const EPI_BIAS = 1;
const EPI_RELU = 2;

/** The epilogue export (kept out of runtime.ts's KernelExports: it belongs to this file). */
interface EpilogueExports {
  gemm_f32_epi_range(
    ta: number, tb: number, m: number, n: number, k: number, a: number, b: number, c: number, acc: number, pack: number,
    m0: number, m1: number, n0: number, n1: number, bias: number, epi: number,
  ): void;
}

let scratch = 0;

/** The `epi` mode word for a bias flag and an activation. */
export function epilogueMode(hasBias: boolean, act: GemmActivation): number {
  if (act !== "identity" && act !== "relu") throw new RangeError(`wasmGemmBiasAct: unknown activation '${String(act)}'`);
  return (hasBias ? EPI_BIAS : 0) | (act === "relu" ? EPI_RELU : 0);
}

/** Checks the bias vector (m floats at biasOff) lies inside the wasm memory; 0 means "no bias". */
export function checkBias(m: number, biasOff: number): void {
  if (biasOff === 0) return;
  const limit = wasmInstance().memory.buffer.byteLength;
  if (!Number.isInteger(biasOff) || biasOff < 0 || biasOff % 4 !== 0 || biasOff + 4 * m > limit) {
    throw new RangeError(`wasmGemmBiasAct: bias [${biasOff}, +${4 * m} bytes) is outside the wasm memory (${limit} bytes) or misaligned`);
  }
}

/**
 * C[m0:m1, n0:n1] = act(op(A) op(B) (+ C when accumulate) + bias[row]) on the calling thread, with the
 * operand conventions of wasmGemm (kernel-calls.ts). `biasOff` = 0 means no bias. `pack` is a scratch of
 * gemmMaxScratchBytes() bytes (default: this module's own, for the calling thread only).
 */
export function wasmGemmBiasActRange(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  aOff: number, bOff: number, cOff: number, biasOff: number, act: GemmActivation, accumulate: boolean,
  m0: number, m1: number, n0: number, n1: number, pack = 0,
): void {
  checkGemmArgs(m, n, k, aOff, bOff, cOff);
  checkBias(m, biasOff);
  const epi = epilogueMode(biasOff !== 0, act);
  if (pack === 0) pack = scratch !== 0 ? scratch : (scratch = wasmAlloc(gemmMaxScratchBytes()));
  const ex = wasmInstance().exports as KernelExports & EpilogueExports;
  ex.gemm_f32_epi_range(transA ? 1 : 0, transB ? 1 : 0, m, n, k, aOff, bOff, cOff, accumulate ? 1 : 0, pack, m0, m1, n0, n1, biasOff, epi);
}

/**
 * The range GEMM with an optional epilogue given as a mode word (epilogueMode): the plain range GEMM
 * (kernel-calls.ts's scratch) when `epi` is 0, else the epilogue kernel. What each GEMM thread runs.
 */
export function wasmGemmEpiRange(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  aOff: number, bOff: number, cOff: number, accumulate: boolean,
  m0: number, m1: number, n0: number, n1: number, biasOff: number, epi: number,
): void {
  if (epi === 0) {
    wasmGemmRange(transA, transB, m, n, k, aOff, bOff, cOff, accumulate, m0, m1, n0, n1);
    return;
  }
  checkGemmArgs(m, n, k, aOff, bOff, cOff);
  if ((epi & EPI_BIAS) !== 0) checkBias(m, biasOff);
  if (scratch === 0) scratch = wasmAlloc(gemmMaxScratchBytes());
  const ex = wasmInstance().exports as KernelExports & EpilogueExports;
  ex.gemm_f32_epi_range(transA ? 1 : 0, transB ? 1 : 0, m, n, k, aOff, bOff, cOff, accumulate ? 1 : 0, scratch, m0, m1, n0, n1, biasOff, epi);
}

/** Whole-matrix wasmGemmBiasActRange on the calling thread: C = act(op(A) op(B) + bias). */
export function wasmGemmBiasAct(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  aOff: number, bOff: number, cOff: number, biasOff: number, act: GemmActivation,
): void {
  wasmGemmBiasActRange(transA, transB, m, n, k, aOff, bOff, cOff, biasOff, act, false, 0, m, 0, n);
}
