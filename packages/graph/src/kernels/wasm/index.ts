/** WebAssembly SIMD kernels: the shared-memory runtime (allocator, views, kernel calls) and the threaded GEMM. */
export {
  WASM_INITIAL_PAGES,
  WASM_MAX_PAGES,
  WASM_PAGE_BYTES,
  wasmAlloc,
  wasmAvailable,
  wasmBlockSize,
  wasmFree,
  wasmHeapStats,
  wasmUnavailableReason,
  setHeapPressureHandler,
} from "./runtime";
export { wasmF32, wasmF64, wasmI32, wasmU8, wasmReadF32, wasmWriteF32 } from "./views";
export {
  GEMM_F32_PARAMS,
  gemmMaxScratchBytes,
  gemmScratchBytes,
  wasmGemm,
  wasmGemmRange,
  wasmWarmup,
  wasmAdamF32,
  wasmSumMiddleF32,
  wasmAllFiniteF32,
} from "./kernel-calls";
export type { KernelExports, SharedWasmMemory } from "./runtime";
export { configureWasmThreads, startWasmThreads, stopWasmThreads, wasmGemmParallel, wasmThreadCount, wasmThreadStats, wasmThreadsReady } from "./threads";
export { gemmThreadCount, partitionGemm, MAX_GEMM_THREADS, type GemmPart } from "./partition";
export { epilogueMode, wasmGemmBiasAct, wasmGemmBiasActRange } from "./gemm-epilogue";
export { wasmSmallGemm } from "./small-gemm";
export type { GemmActivation } from "./gemm-epilogue";
export { preferRelaxedSimd, relaxedSimdSupported, wasmKernelsFlavor } from "./select-module";
