/**
 * Integer data offset by a constant. tsflux computes only float data, so `indices - 1` on an Int32 input
 * (toOnnx writes an Embedding's 1-based indices as 0-based this way) is kept as the indices and the offset
 * until a Gather reads them; anything else computed from integer data is an error naming the node.
 */
import { Tensor, type NdArray } from "@tsflux/graph";
import { isHost, type HostTensor } from "./host";

/** Int32 data `indices` plus `shift`. */
export interface ShiftedIndices {
  readonly kind: "shifted";
  readonly indices: Tensor | NdArray;
  readonly shift: number;
}

export const isShifted = (x: unknown): x is ShiftedIndices => typeof x === "object" && x !== null && (x as ShiftedIndices).kind === "shifted";

/** True for Int32 data (a tensor or an array). */
export const isInt32Data = (x: unknown): x is Tensor | NdArray =>
  x instanceof Tensor ? x.dtype === "i32" : typeof x === "object" && x !== null && !isHost(x) && (x as NdArray).data instanceof Int32Array;

const scalarOf = (x: unknown): number | undefined => (isHost(x) && (x as HostTensor).data.length === 1 ? Number((x as HostTensor).data[0]) : undefined);

/** `a + sign * b` when one side is Int32 data (or already shifted) and the other an integer constant; else undefined. */
export function shiftIndices(a: unknown, b: unknown, sign: 1 | -1): ShiftedIndices | undefined {
  const base = (x: unknown) => (isShifted(x) ? x : isInt32Data(x) ? { kind: "shifted" as const, indices: x, shift: 0 } : undefined);
  const left = base(a), c = scalarOf(b);
  if (left && c !== undefined) return { ...left, shift: left.shift + sign * c };
  const right = base(b), d = scalarOf(a);
  if (right && d !== undefined && sign === 1) return { ...right, shift: right.shift + d };
  return undefined;
}
