/**
 * Unrolling a recurrent cell over a sequence (Flux's `scan`): x [in, len] or [in, len, batch] gives
 * y [out, len] or [out, len, batch]. A fixed length unrolls into the static graph, one step per time
 * step. For tsflux's own cells the input projection Wi x .+ b of every step is one matrix product.
 */
import { ShapeError, concat, getindex, reshape, type Tensor } from "@tsflux/graph";
import { CellBase, type RecurrentCell } from "./cell-base";
import { sizeStr } from "../arrays";

/** Steps first..last (1-based, inclusive) of a sequence [features, len(, batch)]; a single step drops the time dim. */
function steps(seq: Tensor, first: number, last: number): Tensor {
  const t = first === last ? first : ([first, last] as const);
  return seq.shape.length === 2 ? getindex(seq, ":", t) : getindex(seq, ":", t, ":");
}

/** Sequences up to this length are split into time steps directly. */
const DIRECT_SPLIT = 8;

/**
 * The time steps of a sequence, split by halves: each cotangent of a slice is as large as the array
 * sliced, so len slices of one array would cost O(len²) in the reverse pass; halving costs O(len log len).
 */
function timeSteps(seq: Tensor): Tensor[] {
  const len = seq.shape[1]!;
  if (len <= DIRECT_SPLIT) return Array.from({ length: len }, (_, t) => steps(seq, t + 1, t + 1));
  const half = Math.ceil(len / 2);
  return [...timeSteps(steps(seq, 1, half)), ...timeSteps(steps(seq, half + 1, len))];
}

/** Runs `cell` over the time steps of `x` from `state`: [ys stacked along dim 2, last state]. */
export function scan<S>(cell: RecurrentCell<S>, x: Tensor, state: S): [Tensor, S] {
  if (x.shape.length !== 2 && x.shape.length !== 3) {
    throw new ShapeError(`expected a sequence of size [in, len] or [in, len, batch], got x of size ${sizeStr(x.shape)}`);
  }
  const [inDim, len] = x.shape as [number, number];
  const batch = x.shape.slice(2);
  if (len === 0) throw new ShapeError(`expected a sequence of length at least 1, got x of size ${sizeStr(x.shape)}`);
  const want = cell instanceof CellBase ? cell.Wi.shape[1]! : inDim;
  if (inDim !== want) throw new ShapeError(`expected a sequence of size [${want}, len] or [${want}, len, batch], got x of size ${sizeStr(x.shape)}`);
  const projected = cell instanceof CellBase ? reshape(cell.project(reshape(x, [inDim, len * (batch[0] ?? 1)])), [-1, len, ...batch]) : x;
  const ys: Tensor[] = [];
  for (const xt of timeSteps(projected)) {
    // a cell's own state S is one of the StateInput<S> forms its forward takes, which TypeScript cannot see for a generic S
    const [y, next] = cell instanceof CellBase ? (cell as CellBase<S>).step(xt, state) : cell.forward(xt, state as never);
    ys.push(reshape(y, [y.shape[0]!, 1, ...y.shape.slice(1)]));
    state = next;
  }
  return [ys.length === 1 ? ys[0]! : concat(ys, { dims: 2 }), state];
}
