/**
 * Integer gather (NNlib's `gather`, Julia's `W[:, idx]`) and its adjoint, scatter-add. Both act on the
 * last dim of the float array; the Int32 index array is data (1-based, never differentiated).
 */
import { DTypeError, ShapeError } from "../errors";
import { juliaName, type FloatArray } from "../dtype";
import { numel, shapeStr } from "../shape";
import { zeroFill } from "../kernels/zero-fill";
import { requireFloatType, typeStr } from "./validate";
import type { OpDef, Slot } from "./types";
import type { ValueType } from "../ir/graph";
import { gather, scatterAdd } from "../api/indexing";
import type { NoAttrs } from "./attrs";
import type { ScatterAttrs } from "./attrs";
export type { ScatterAttrs } from "./attrs";

function requireIndices(op: string, idx: ValueType): void {
  if (idx.dtype !== "i32") throw new DTypeError(`${op}: indices must be an Int32 array, got ${juliaName(idx.dtype)} ${typeStr(idx)}`);
}

function gatherType([src, idx]: readonly ValueType[]): ValueType {
  requireFloatType("gather", "src", src!);
  requireIndices("gather", idx!);
  if (src!.shape.length === 0) throw new ShapeError(`gather: src must have at least one dim, got shape ${shapeStr(src!.shape)}`);
  return { shape: [...src!.shape.slice(0, -1), ...idx!.shape], dtype: src!.dtype };
}

/** Reads index k (1-based) and checks it against the `columns` of the array it addresses. */
function column(op: string, ix: Slot, k: number, columns: number): number {
  const j = ix.data[ix.offset + k]!;
  if (j < 1 || j > columns) throw new ShapeError(`${op}: index ${j} at position ${k + 1} is out of bounds for ${columns} columns (indices are 1-based)`);
  return j - 1;
}

export const gatherOp: OpDef<NoAttrs> = {
  name: "gather", arity: 2, infer: gatherType, flops: () => 0,
  kernel: ({ inputs: [src, idx] }) => {
    const rows = numel(src!.shape.slice(0, -1)), columns = src!.shape[src!.shape.length - 1]!, count = numel(idx!.shape);
    return (out, [s, ix]) => {
      const o = out.data as FloatArray, x = s!.data as FloatArray;
      for (let k = 0; k < count; k++) {
        const from = s!.offset + column("gather", ix!, k, columns) * rows, to = out.offset + k * rows;
        for (let r = 0; r < rows; r++) o[to + r] = x[from + r]!;
      }
    };
  },
  // d src[:, idx] = dsrc[:, idx]
  jvp: ({ x: [, idx] }, [dsrc]) => (dsrc ? gather(dsrc, idx!) : null),
  // s̄rc[:, j] = Σ_{k: idx[k] = j} ȳ[:, k]
  vjp: ({ x: [src, idx] }, dy) => [scatterAdd(dy, idx!, src!.shape[src!.shape.length - 1]!), null],
};

function scatterType([y, idx]: readonly ValueType[], { size }: ScatterAttrs): ValueType {
  requireFloatType("scatterAdd", "src", y!);
  requireIndices("scatterAdd", idx!);
  const lead = y!.shape.length - idx!.shape.length;
  const fits = lead >= 0 && idx!.shape.every((d, i) => y!.shape[lead + i] === d);
  if (!fits) throw new ShapeError(`scatterAdd: src of shape ${shapeStr(y!.shape)} must end in the index shape ${shapeStr(idx!.shape)}`);
  if (!Number.isInteger(size) || size < 0) throw new ShapeError(`scatterAdd: the output size ${size} must be a non-negative integer`);
  return { shape: [...y!.shape.slice(0, lead), size], dtype: y!.dtype };
}

export const scatterAddOp: OpDef<ScatterAttrs> = {
  name: "scatterAdd", arity: 2, infer: scatterType,
  flops: ({ inputs: [y] }) => numel(y!.shape),
  kernel: ({ attrs: { size }, inputs: [, idx], output }) => {
    const rows = numel(output.shape.slice(0, -1)), count = numel(idx!.shape), n = numel(output.shape);
    return (out, [s, ix]) => {
      const o = out.data as FloatArray, y = s!.data as FloatArray;
      zeroFill(o, out.offset, out.offset + n);
      for (let k = 0; k < count; k++) {
        const to = out.offset + column("scatterAdd", ix!, k, size) * rows, from = s!.offset + k * rows;
        for (let r = 0; r < rows; r++) o[to + r]! += y[from + r]!;
      }
    };
  },
  printAttrs: ({ size }) => `size=${size}`,
  // d scatter(y) = scatter(dy)
  jvp: ({ x: [, idx] }, [dy], { size }) => (dy ? scatterAdd(dy, idx!, size) : null),
  // ȳ[:, k] = z̄[:, idx[k]]
  vjp: ({ x: [, idx] }, dz) => [gather(dz, idx!), null],
};
