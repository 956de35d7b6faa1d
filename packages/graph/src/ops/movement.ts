/** Ops that move data without arithmetic: all linear, so each has a transpose rule instead of a VJP. */
import { ShapeError } from "../errors";
import { broadcastsTo, colMajorStrides, numel, padTo, sameShape, shapeStr, type Shape } from "../shape";
import { stridedCopier } from "../kernels/strided";
import { tupleStr } from "../ir/print";
import type { KernelArgs, KernelFn, OpDef } from "./types";
import type { ValueType } from "../ir/graph";
import { reshape, permutedims, broadcastTo } from "../api/movement";
import { sumAxes } from "../api/reduce";
import type { ReshapeAttrs, PermuteAttrs, BroadcastAttrs } from "./attrs";
export type { ReshapeAttrs, PermuteAttrs, BroadcastAttrs } from "./attrs";

const noFlops = () => 0;
const shapeAttr = ({ shape }: { shape: Shape }) => `shape=${tupleStr(shape)}`;

function reshapeType([x]: readonly ValueType[], { shape }: ReshapeAttrs): ValueType {
  if (numel(shape, "reshape") !== numel(x!.shape)) {
    throw new ShapeError(`reshape: cannot reshape array of shape ${shapeStr(x!.shape)} (${numel(x!.shape)} elements) to ${shapeStr(shape)} (${numel(shape)} elements)`);
  }
  return { shape, dtype: x!.dtype };
}

function plainCopy({ output }: KernelArgs<unknown>): KernelFn {
  const n = numel(output.shape);
  return (out, [x]) => out.data.set(x!.data.subarray(x!.offset, x!.offset + n), out.offset);
}

export const reshapeOp: OpDef<ReshapeAttrs> = {
  name: "reshape", arity: 1, infer: reshapeType, kernel: plainCopy, flops: noFlops, printAttrs: shapeAttr, alias: true, keepsConstant: true,
  // column-major reshape keeps the element order: d reshape(x) = reshape(dx)
  jvp: (_p, [dx], { shape }) => reshape(dx!, shape),
  transpose: (dy, _a, [x]) => [reshape(dy, x!.shape)],
};

function permuteType([x]: readonly ValueType[], { perm }: PermuteAttrs): ValueType {
  const rank = x!.shape.length;
  const ok = perm.length === rank && [...perm].sort((a, b) => a - b).every((p, i) => p === i);
  if (!ok) throw new ShapeError(`permutedims: (${perm.map((p) => p + 1).join(", ")}) is not a permutation of the ${rank} dims of an array of shape ${shapeStr(x!.shape)}`);
  return { shape: perm.map((p) => x!.shape[p]!), dtype: x!.dtype };
}

export function inversePermutation(perm: readonly number[]): number[] {
  const inv = perm.map(() => 0);
  perm.forEach((p, i) => (inv[p] = i));
  return inv;
}

export const permutedimsOp: OpDef<PermuteAttrs> = {
  name: "permutedims", arity: 1, infer: permuteType, flops: noFlops, keepsConstant: true,
  kernel: ({ attrs: { perm }, inputs: [x], output }) => {
    const inStrides = colMajorStrides(x!.shape);
    const copy = stridedCopier(output.dtype, output.shape, perm.map((p) => inStrides[p]!), colMajorStrides(output.shape));
    return (out, [xs]) => copy(xs!.data, xs!.offset, out.data, out.offset);
  },
  printAttrs: ({ perm }) => `perm=${tupleStr(perm.map((p) => p + 1))}`,
  // d permutedims(x) = permutedims(dx)
  jvp: (_p, [dx], { perm }) => permutedims(dx!, perm.map((p) => p + 1)),
  // x̄ = permutedims(ȳ, inverse permutation)
  transpose: (dy, { perm }) => [permutedims(dy, inversePermutation(perm).map((p) => p + 1))],
};

function broadcastType([x]: readonly ValueType[], { shape }: BroadcastAttrs): ValueType {
  if (!broadcastsTo(x!.shape, shape)) {
    throw new ShapeError(`broadcastTo: an array of shape ${shapeStr(x!.shape)} does not broadcast to ${shapeStr(shape)} (each dim must match or be 1; missing trailing dims count as 1)`);
  }
  return { shape, dtype: x!.dtype };
}

/** Axes along which `from` is repeated to make `to`. */
export function broadcastAxes(from: Shape, to: Shape): number[] {
  const padded = padTo(from, to.length);
  return to.map((d, i) => (padded[i] === 1 && d !== 1 ? i : -1)).filter((i) => i >= 0);
}

export const broadcastToOp: OpDef<BroadcastAttrs> = {
  name: "broadcastTo", arity: 1, infer: broadcastType, flops: noFlops, printAttrs: shapeAttr, keepsConstant: true, broadcast: true,
  kernel: ({ inputs: [x], output }) => {
    const inStrides = colMajorStrides(padTo(x!.shape, output.shape.length));
    const src = output.shape.map((d, i) => (d !== 1 && (x!.shape[i] ?? 1) === 1 ? 0 : inStrides[i]!));
    const copy = stridedCopier(output.dtype, output.shape, src, colMajorStrides(output.shape));
    return (out, [xs]) => copy(xs!.data, xs!.offset, out.data, out.offset);
  },
  // d broadcastTo(x) = broadcastTo(dx)
  jvp: (_p, [dx], { shape }) => broadcastTo(dx!, shape),
  // the one place that sums back down: x̄ = Σ ȳ over the broadcast axes, reshaped to x's shape
  transpose: (dy, { shape }, [x]) => {
    const axes = broadcastAxes(x!.shape, shape);
    const summed = axes.length > 0 ? sumAxes(dy, axes, true) : dy;
    return [sameShape(summed.shape, x!.shape) ? summed : reshape(summed, x!.shape)];
  },
};
