/**
 * `@tsflux/graph`: tensors, the static dataflow graph, its derivative visitors and compiled plans.
 *
 * @module @tsflux/graph
 */
export { Tensor, type TensorLike } from "./tensor";
export { ShapeError, DTypeError, GraphError, OutOfMemoryError, VersionError, ActivityError, TsfluxError } from "./errors";
export type { DType, FloatDType, TypedArray, FloatArray } from "./dtype";
export { BYTES, dtypeOfArray, juliaName } from "./dtype";
export { inspectCustom, type InspectOptions } from "./inspect";
export { VERSION } from "./runtime-registry";
export { type Shape, setMemoryBudget, getMemoryBudget, numel, shapeStr, colMajorStrides } from "./shape";
export { formatBytes } from "./shape";
export { stridedCopy } from "./kernels/strided";
export { type NdArray, isNdarray, isColMajorContiguous, dtypeOf, zerosArray, longLivedZeros, wrapColMajor, toColMajor, toFlatArray } from "./ndarray-util";

export * from "./api/elementwise";
export { sum, mean, maximum, minimum, logsumexp, softmax, logsoftmax, type DimsOptions } from "./api/reduce";
export { matmul, type MatmulOptions } from "./api/linalg";
export { reshape, permutedims, transpose, broadcastTo, getindex, concat, vcat, hcat, type Index } from "./api/movement";
export { gather, scatterAdd } from "./api/indexing";
export { batchedMul } from "./api/batched";
export { applyMask, additiveMask, makeCausalMask } from "./api/masks";
export { full, zerosLike, onesLike, astype, copy, stopGradient, randomUniform } from "./api/creation";
export { RandomGenerator, globalRng, seed } from "./random";
export { assign, addAssign, mulAssign, fill } from "./api/state";
export { conv, convData, convFilter, maxpool, meanpool, perDim, perSide, type ConvOptions, type PoolOptions, type PerDim } from "./api/conv";
export { padZeros, upsampleNearest, upsampleLinear, pixelShuffle, type UpsampleLinearOptions } from "./api/resample";
export { windowOutput, type ConvAttrs, type PoolAttrs } from "./ops/conv-geometry";

export { Graph, type Value, type Node, type Buffer, type ValueType } from "./ir/graph";
export { trace, traceCall, resultTensors, type TracedCall, type ArgInput } from "./trace";
export type { TraceTemplate, TemplateInput, TemplateNode, Replay } from "./ir/trace-context";
export { Trace, currentTrace, withTrace } from "./ir/trace-context";
export { printGraph, printNode } from "./ir/print";
export { toDot } from "./ir/dot";
export { verifyGraph, setGraphChecks, graphChecksEnabled } from "./ir/verify";
export { graphStats, type GraphStats } from "./exec/stats";

export { OPS, opDef, type OpName, type AttrsOf } from "./ops/registry";
export type { OpDef, Primals, Tangents, KernelFn, Slot } from "./ops/types";
export { applyOp } from "./ops/apply";

export { emitVjp, emitVjpSeeded, type VjpOptions } from "./autodiff/vjp";
export { emitJvp } from "./autodiff/jvp";
export { vjp, jvp, valueAndGrad, hvp } from "./autodiff/functional";
export { reverseWithShadows, reverseGraph, scalarLoss, type ShadowedOptions, type ShadowedResult } from "./autodiff/shadowed";
export { forwardWithShadows, type ForwardShadowedResult } from "./autodiff/shadowed-forward";
export type { Activity, ShadowedArg } from "./autodiff/shadow-common";
export { isDifferentiating, whileDifferentiating } from "./autodiff/differentiating";

export { Plan, compile } from "./exec/plan";
export { evaluate } from "./exec/interpret";
export { programFor, traceArrays, bindTraceArrays, programTraceCount, cacheStats, setCacheLimits, clearCaches, type Program, type CacheStats, type CacheLimits } from "./exec/program";
export { traceHash, resultKey } from "./exec/graph-key";
export { compiled, type Forward, type Concrete } from "./exec/compiled";
export { setDenseFusion } from "./exec/gemm-epilogue";
export { setConvFusion } from "./exec/conv-epilogue";
export { setDirectConv } from "./kernels/conv-direct";
export { allocationCount, allocatedBytes } from "./exec/allocations";
export { allFinite } from "./kernels/finite";
export { allocData, allocLongLived, heapOffset, setWasmHeap, usingWasmHeap } from "./memory";
export { wasmAvailable, wasmUnavailableReason, configureWasmThreads, wasmThreadStats, wasmHeapStats, wasmAdamF32 } from "./kernels/wasm";
export { fusedWasmRuns } from "./kernels/wasm/fused";
export { SIMD_OPS } from "./ops/registry";

export { fmap, leaves, structure, childrenOf, isFloatArray, functionId, type Leaf, type HasTrainable } from "./tree/tree";
export type { FieldKey } from "./tree/field-key";
