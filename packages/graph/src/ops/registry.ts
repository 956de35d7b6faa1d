/**
 * The op registry: every op tsflux knows, by name, with its attribute type. The mapped type makes a
 * name without a complete block (shape rule, kernel, JVP, VJP or transpose) a compile error. It sits
 * above the op files and the builder they call, and installs the table `ops/table.ts` serves.
 */
import type { OpDef } from "./types";
import { installOps, type OpTable } from "./table";
import { GraphError } from "../errors";
import { UNARY_OPS } from "./unary";
import { BINARY_OPS } from "./binary";
import { lessOp, lessEqualOp, greaterOp, greaterEqualOp, equalOp, notEqualOp, whereOp } from "./compare";
import { sumOp, maximumOp, minimumOp } from "./reduce";
import { softmaxOp, logsoftmaxOp, logsumexpOp } from "./softmax";
import { matmulOp } from "./matmul";
import { reshapeOp, permutedimsOp, broadcastToOp } from "./movement";
import { sliceOp, unsliceOp, concatOp } from "./slice";
import { fullOp, astypeOp, copyOp, stopGradientOp } from "./creation";
import { randomUniformOp } from "./random";
import { assignOp, addAssignOp, mulAssignOp, fillOp } from "./state";
import { gatherOp, scatterAddOp } from "./gather";
import { batchedMatmulOp } from "./batched-matmul";
import { firstHitOp } from "./first-hit";
import { convOp, convDataOp, convFilterOp } from "./conv";
import { maxpoolOp, maxpoolGatherOp, maxpoolScatterOp, meanpoolOp, meanpoolAdjointOp } from "./pool";

import type { NoAttrs } from "./attrs";

export type { AttrsOf, OpName, NoAttrs } from "./attrs";

// The ops of UNARY_OPS and BINARY_OPS take no attributes, and their tables' keys are their names: this
// merges them into AttrsOf (TypeScript's module augmentation), so adding one is its table entry alone.
declare module "./attrs" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- its members are ElementwiseAttrs'
  interface AttrsOf extends ElementwiseAttrs {}
}
/** Each op of the elementwise tables with its (empty) attribute type. */
type ElementwiseAttrs = { [K in keyof typeof UNARY_OPS | keyof typeof BINARY_OPS]: NoAttrs };

/** Every op tsflux knows, by name: the registry the visitors, executor and printers read. */
export const OPS: OpTable = {
  ...UNARY_OPS,
  ...BINARY_OPS,
  less: lessOp, lessEqual: lessEqualOp, greater: greaterOp, greaterEqual: greaterEqualOp, equal: equalOp, notEqual: notEqualOp,
  where: whereOp,
  sum: sumOp, maximum: maximumOp, minimum: minimumOp,
  softmax: softmaxOp, logsoftmax: logsoftmaxOp, logsumexp: logsumexpOp,
  matmul: matmulOp,
  reshape: reshapeOp, permutedims: permutedimsOp, broadcastTo: broadcastToOp,
  slice: sliceOp, unslice: unsliceOp, concat: concatOp,
  full: fullOp, astype: astypeOp, copy: copyOp, stopGradient: stopGradientOp,
  randomUniform: randomUniformOp,
  assign: assignOp, addAssign: addAssignOp, mulAssign: mulAssignOp, fill: fillOp,
  gather: gatherOp, scatterAdd: scatterAddOp, batchedMatmul: batchedMatmulOp, firstHit: firstHitOp,
  conv: convOp, convData: convDataOp, convFilter: convFilterOp,
  maxpool: maxpoolOp, maxpoolGather: maxpoolGatherOp, maxpoolScatter: maxpoolScatterOp, meanpool: meanpoolOp, meanpoolAdjoint: meanpoolAdjointOp,
};

// a table entry under another name than its block's would make the IR lie about what ran
for (const [key, def] of Object.entries(OPS)) if (def.name !== key) throw new GraphError(`op registry: '${key}' holds the block named '${def.name}'`);

/** The ops a fused Float32 loop can run in Wasm SIMD: those with a `simd` formula, and broadcasts (read in place). */
export const SIMD_OPS: readonly string[] = Object.values<OpDef<never>>(OPS).filter((d) => d.simd !== undefined || d.broadcast === true).map((d) => d.name);

installOps(OPS);

export { opDef } from "./table";
