/** The pooling ops on already-normalised attributes (what the derivative rules call). */
import type { Tensor } from "../tensor";
import { applyOp, type OpInput } from "../ops/apply";
import type { PoolAttrs } from "../ops/conv-geometry";

const poolAttrsOf = (a: PoolAttrs): PoolAttrs => ({ window: [...a.window], stride: [...a.stride], pad: [...a.pad] });

/** Each window's first maximum of x. */
export function maxpoolOp(x: OpInput, a: PoolAttrs): Tensor {
  return applyOp("maxpool", [x], poolAttrsOf(a));
}

/** v at the position of each window's first maximum of x (pooled shape). */
export function maxpoolGatherOp(v: OpInput, x: OpInput, a: PoolAttrs): Tensor {
  return applyOp("maxpoolGather", [v, x], poolAttrsOf(a));
}

/** dy sent to the position of each window's first maximum of x (x's shape): NNlib's ∇maxpool. */
export function maxpoolScatterOp(dy: OpInput, x: OpInput, a: PoolAttrs): Tensor {
  return applyOp("maxpoolScatter", [dy, x], poolAttrsOf(a));
}

/** Each window's mean, padding counting as zeros. */
export function meanpoolOp(x: OpInput, a: PoolAttrs): Tensor {
  return applyOp("meanpool", [x], poolAttrsOf(a));
}

/** The adjoint of meanpool for data of spatial size `a.spatial`: NNlib's ∇meanpool. */
export function meanpoolAdjointOp(dy: OpInput, a: PoolAttrs & { spatial: readonly number[] }): Tensor {
  return applyOp("meanpoolAdjoint", [dy], { ...poolAttrsOf(a), spatial: [...a.spatial] });
}
