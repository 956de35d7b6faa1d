/**
 * The mark the step-fusion passes (GEMM and conv epilogues, the pooling adjoint's mask) leave where a
 * step was absorbed into another: each pass writes its result by step index, then filters the marks out.
 */
export const DROPPED = { kind: "dropped", reads: [], writes: [] } as const;
