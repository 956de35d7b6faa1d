/**
 * The op registry: every op tsflux knows, by name, with its attribute type. The mapped type makes a
 * name without a complete block (shape rule, kernel, JVP, VJP or transpose) a compile error.
 */
import type { OpDef } from "./types";
import { GraphError } from "../errors";
import { negOp, absOp, signOp, abs2Op, sqrtOp, expOp, expm1Op, logOp, log1pOp, tanhOp, sigmoidOp, reluOp, softplusOp } from "./unary";
import { addOp, subOp, mulOp, divOp, powOp, maxOp, minOp } from "./binary";
import { lessOp, lessEqualOp, greaterOp, greaterEqualOp, equalOp, notEqualOp, whereOp } from "./compare";
import { sumOp, maximumOp, minimumOp, type ReduceAttrs } from "./reduce";
import { softmaxOp, logsoftmaxOp, logsumexpOp, type SoftmaxAttrs } from "./softmax";
import { matmulOp, type MatmulAttrs } from "./matmul";
import { reshapeOp, permutedimsOp, broadcastToOp, type ReshapeAttrs, type PermuteAttrs, type BroadcastAttrs } from "./movement";
import { sliceOp, unsliceOp, concatOp, type SliceAttrs, type UnsliceAttrs, type ConcatAttrs } from "./slice";
import { fullOp, astypeOp, copyOp, stopGradientOp, type FullAttrs, type AstypeAttrs } from "./creation";
import { randomUniformOp, type RandomAttrs } from "./random";
import { assignOp, addAssignOp, mulAssignOp, fillOp, type FillAttrs } from "./state";
import { gatherOp, scatterAddOp, type ScatterAttrs } from "./gather";
import { batchedMatmulOp } from "./batched-matmul";
import { firstHitOp, type FirstHitAttrs } from "./first-hit";
import { convOp, convDataOp, convFilterOp } from "./conv";
import { maxpoolOp, maxpoolGatherOp, maxpoolScatterOp, meanpoolOp, meanpoolAdjointOp, type PoolAdjointAttrs } from "./pool";
import type { ConvAttrs, ConvDataAttrs, ConvFilterAttrs, PoolAttrs } from "./conv-geometry";

type NoAttrs = Record<string, never>;

export interface AttrsOf {
  neg: NoAttrs; abs: NoAttrs; sign: NoAttrs; abs2: NoAttrs; sqrt: NoAttrs; exp: NoAttrs; expm1: NoAttrs;
  log: NoAttrs; log1p: NoAttrs; tanh: NoAttrs; sigmoid: NoAttrs; relu: NoAttrs; softplus: NoAttrs;
  add: NoAttrs; sub: NoAttrs; mul: NoAttrs; div: NoAttrs; pow: NoAttrs; max: NoAttrs; min: NoAttrs;
  less: NoAttrs; lessEqual: NoAttrs; greater: NoAttrs; greaterEqual: NoAttrs; equal: NoAttrs; notEqual: NoAttrs;
  where: NoAttrs;
  sum: ReduceAttrs; maximum: ReduceAttrs; minimum: ReduceAttrs;
  softmax: SoftmaxAttrs; logsoftmax: SoftmaxAttrs; logsumexp: ReduceAttrs;
  matmul: MatmulAttrs;
  reshape: ReshapeAttrs; permutedims: PermuteAttrs; broadcastTo: BroadcastAttrs;
  slice: SliceAttrs; unslice: UnsliceAttrs; concat: ConcatAttrs;
  full: FullAttrs; astype: AstypeAttrs; copy: NoAttrs; stopGradient: NoAttrs;
  randomUniform: RandomAttrs;
  assign: NoAttrs; addAssign: NoAttrs; mulAssign: NoAttrs; fill: FillAttrs;
  gather: NoAttrs; scatterAdd: ScatterAttrs; batchedMatmul: MatmulAttrs; firstHit: FirstHitAttrs;
  conv: ConvAttrs; convData: ConvDataAttrs; convFilter: ConvFilterAttrs;
  maxpool: PoolAttrs; maxpoolGather: PoolAttrs; maxpoolScatter: PoolAttrs; meanpool: PoolAttrs; meanpoolAdjoint: PoolAdjointAttrs;
}

export type OpName = keyof AttrsOf;

export const OPS: { readonly [K in OpName]: OpDef<AttrsOf[K]> } = {
  neg: negOp, abs: absOp, sign: signOp, abs2: abs2Op, sqrt: sqrtOp, exp: expOp, expm1: expm1Op,
  log: logOp, log1p: log1pOp, tanh: tanhOp, sigmoid: sigmoidOp, relu: reluOp, softplus: softplusOp,
  add: addOp, sub: subOp, mul: mulOp, div: divOp, pow: powOp, max: maxOp, min: minOp,
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

/** The ops a fused Float32 loop can run in Wasm SIMD: those with a `simd` formula, and broadcasts (read in place). */
export const SIMD_OPS: readonly string[] = Object.values<OpDef<never>>(OPS).filter((d) => d.simd !== undefined || d.broadcast === true).map((d) => d.name);

/** The block of a registered op (for visitors, which see op names as strings in the IR). */
export function opDef(name: string): OpDef<Record<string, unknown>> {
  const def = (OPS as Record<string, OpDef<never>>)[name];
  if (!def) throw new GraphError(`no op named '${name}' is registered`);
  return def as unknown as OpDef<Record<string, unknown>>;
}
