/** The runners of the schedule's fused steps: a GEMM or conv with its epilogue, a pooling adjoint with relu's mask. */
import type { Node, Value } from "../ir/graph";
import type { Slot } from "../ops/types";
import { gemmEpilogueRunner, type GemmEpilogueStep } from "./gemm-epilogue";
import { poolReluAdjointRunner, type PoolReluAdjointStep } from "./pool-relu-adjoint";

/** The runner of fused step `step`, over the plan's storage `slotOf`. */
export function fusedStepRunner(step: GemmEpilogueStep<Value, Node> | PoolReluAdjointStep, slotOf: (v: Value) => Slot): () => void {
  return step.kind === "gemmEpilogue" ? gemmEpilogueRunner(step, slotOf) : poolReluAdjointRunner(step, slotOf);
}
