/** WebAssembly SIMD kernels: shared-memory runtime (allocator, views, one-thread GEMM) and the two-thread GEMM. */
export {
  GEMM_F32_PARAMS,
  WASM_INITIAL_PAGES,
  WASM_MAX_PAGES,
  WASM_PAGE_BYTES,
  gemmMaxScratchBytes,
  gemmScratchBytes,
  wasmAlloc,
  wasmAvailable,
  wasmBlockSize,
  wasmF32,
  wasmF64,
  wasmFree,
  wasmGemm,
  wasmGemmRange,
  wasmHeapStats,
  wasmI32,
  wasmReadF32,
  wasmU8,
  wasmUnavailableReason,
  wasmWarmup,
  wasmWriteF32,
  wasmAdamF32,
  wasmSumMiddleF32,
  wasmAllFiniteF32,
  setHeapPressureHandler,
} from "./runtime";
export type { KernelExports, SharedWasmMemory } from "./runtime";
export { configureWasmThreads, startWasmThreads, stopWasmThreads, wasmGemmParallel, wasmThreadCount, wasmThreadStats, wasmThreadsReady } from "./threads";
export { gemmThreadCount, partitionGemm, MAX_GEMM_THREADS, type GemmPart } from "./partition";
export { epilogueMode, wasmGemmBiasAct, wasmGemmBiasActRange } from "./gemm-epilogue";
export type { GemmActivation } from "./gemm-epilogue";
export { preferRelaxedSimd, relaxedSimdSupported, wasmKernelsFlavor } from "./select-module";
