/**
 * Every op's name with its attribute type: the one table the IR, the builder and the op blocks share.
 * It imports no rules, so anything can name ops and their attributes without joining the ops' imports
 * (the registry adds the elementwise tables' names to it at the type level, importing nothing here).
 */
import type { Shape } from "../shape";
import type { DType } from "../dtype";
import type { ConvAttrs, ConvDataAttrs, ConvFilterAttrs, PoolAttrs } from "./conv-geometry";

/** The attributes of an op that has none. */
export type NoAttrs = Record<string, never>;

export interface ReduceAttrs {
  /** 0-based axes, sorted. */
  axes: readonly number[];
  /** Keep reduced axes as size 1 (Julia's `dims=`), or drop them (a full reduction to a scalar). */
  keepDims: boolean;
}
export interface SoftmaxAttrs {
  axes: readonly number[];
}
export interface MatmulAttrs { transA: boolean; transB: boolean }
export interface ReshapeAttrs { shape: Shape }
export interface PermuteAttrs { perm: readonly number[] }
export interface BroadcastAttrs { shape: Shape }
/** 0-based starts, exclusive stops and positive steps, one per dim. */
export interface SliceAttrs { start: readonly number[]; stop: readonly number[]; step: readonly number[] }
/** The shape of the array the slice came from, and where the slice sits in it. */
export interface UnsliceAttrs { shape: Shape; start: readonly number[]; step: readonly number[] }
export interface ConcatAttrs { axis: number }
export interface FullAttrs { value: number; shape: Shape; dtype: DType }
export interface AstypeAttrs { dtype: DType }
export interface RandomAttrs { shape: Shape; dtype: DType }
export interface FillAttrs { value: number }
/** The length of the output's last dim (the number of columns scattered into). */
export interface ScatterAttrs { size: number }
/** 0-based axes the slices run along. */
export interface FirstHitAttrs { axes: readonly number[] }
/** The mean pooling adjoint also needs the data's spatial size. */
export interface PoolAdjointAttrs extends PoolAttrs {
  spatial: readonly number[];
}

/**
 * Attributes by op name; a name here without a block in the registry is a compile error. The
 * attribute-less elementwise ops of `UNARY_OPS` and `BINARY_OPS` are merged in by `ops/registry.ts`,
 * named by their tables' keys.
 */
export interface AttrsOf {
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

/** The name of a registered op. */
export type OpName = keyof AttrsOf;
