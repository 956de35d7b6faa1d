/**
 * What an import rule sees: its inputs (tsflux tensors, parameter arrays or host tensors) and its
 * attributes, and what it returns: the values of its outputs. Shapes in ONNX order are the tsflux
 * shapes reversed.
 */
import { Tensor, isNdarray, type NdArray } from "@tsflux/graph";
import { OnnxError } from "../errors";
import { isHost, toArray, type HostTensor } from "./host";
import { isShifted, type ShiftedIndices } from "./index-shift";

/** A value while an imported graph runs. */
export type Operand = Tensor | NdArray | HostTensor | ShiftedIndices;

export type AttrMap = ReadonlyMap<string, unknown>;

/** Computes one ONNX node with tsflux ops; returns its outputs' values (one value or a list). */
export type ImportRule = (inputs: readonly (Operand | undefined)[], attrs: AttrMap, node: NodeInfo) => Operand | Operand[];

/** Names a node in errors. */
export interface NodeInfo {
  readonly opType: string;
  readonly name: string;
  readonly opset: number;
}

export const where = (n: NodeInfo): string => `fromOnnx: ${n.opType} node '${n.name}'`;

/** ONNX (row-major) dims of an operand. */
export function onnxDims(x: Operand): number[] {
  return isHost(x) ? [...x.dims] : [...(isShifted(x) ? x.indices : x).shape].reverse();
}

/** An operand as something tsflux ops take; host tensors become arrays of `like`'s float type. */
export function tensorOf(x: Operand | undefined, n: NodeInfo, like?: Operand): Tensor | NdArray {
  if (x === undefined) throw new OnnxError(`${where(n)}: a required input is missing`);
  if (isShifted(x)) throw new OnnxError(`${where(n)}: integer data offset by ${x.shift} can only be the indices of a Gather (tsflux computes float data)`);
  if (!isHost(x)) return x;
  const dtype = like && !isHost(like) ? (like instanceof Tensor ? like.dtype : isNdarray(like) && like.data instanceof Float64Array ? "f64" : "f32") : undefined;
  return toArray(x, dtype === "f64" ? "f64" : dtype === "f32" ? "f32" : undefined);
}

/** The values of a host input (shapes, axes), with a clear error when the graph computes them from data. */
export function hostValues(x: Operand | undefined, n: NodeInfo, what: string): number[] {
  if (x === undefined) throw new OnnxError(`${where(n)}: input '${what}' is missing`);
  if (!isHost(x)) throw new OnnxError(`${where(n)}: input '${what}' must be known when the graph is traced (a constant or computed from shapes), not computed from data`);
  return Array.from(x.data);
}

type Widen<T> = T extends number ? number : T;

/** An attribute, or its default. */
export function attr<T>(attrs: AttrMap, name: string, fallback: T): Widen<T> {
  return (attrs.has(name) ? attrs.get(name) : fallback) as Widen<T>;
}

/** A 0-based ONNX axis from a possibly negative one. */
export function normAxis(axis: number, rank: number, n: NodeInfo): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw new OnnxError(`${where(n)}: axis ${axis} is out of range for rank ${rank}`);
  return a;
}

/** The tsflux dim (1-based) of ONNX axis `axis` (0-based) of rank `rank`. */
export const tsfluxDim = (axis: number, rank: number): number => rank - axis;
