/** Reshaping, permuting, broadcasting, indexing and concatenation (Julia semantics, 1-based). */
import type { Tensor, TensorLike } from "../tensor";
import { ShapeError } from "../errors";
import { applyOp } from "../ops/apply";
import { numel, sameShape, shapeStr, type Shape } from "../shape";
import { asInput, typeOf, full } from "./coerce";
import type { OpInput } from "../ops/apply";
import { getindexByArray, isIndexArray, type IndexArray } from "./index-array";

function input(op: string, x: TensorLike): OpInput {
  return typeof x === "number" ? full(x, [], "f64") : asInput(op, "x", x);
}

/** Column-major reshape (Julia's reshape); one dim may be -1 and is then inferred. */
export function reshape(x: TensorLike, shape: Shape): Tensor {
  const xi = input("reshape", x);
  const from = typeOf("reshape", xi).shape;
  const inferred = shape.filter((d) => d === -1).length;
  if (inferred > 1) throw new ShapeError(`reshape: at most one dim may be -1, got ${shapeStr(shape)}`);
  let target = [...shape];
  if (inferred === 1) {
    const known = shape.filter((d) => d !== -1).reduce((a, d) => a * d, 1);
    if (known === 0 || numel(from) % known !== 0) {
      throw new ShapeError(`reshape: cannot infer the -1 in ${shapeStr(shape)} for an array of shape ${shapeStr(from)}`);
    }
    target = shape.map((d) => (d === -1 ? numel(from) / known : d));
  }
  return applyOp("reshape", [xi], { shape: target });
}

/** Permutes dims (Julia's permutedims; `perm` is 1-based). */
export function permutedims(x: TensorLike, perm: readonly number[]): Tensor {
  return applyOp("permutedims", [input("permutedims", x)], { perm: perm.map((p) => p - 1) });
}

/** Matrix transpose; a vector of length n becomes a 1 x n matrix (as Julia's transpose of a vector). */
export function transpose(x: TensorLike): Tensor {
  const xi = input("transpose", x);
  const shape = typeOf("transpose", xi).shape;
  if (shape.length === 1) return reshape(xi, [1, shape[0]!]);
  if (shape.length !== 2) throw new ShapeError(`transpose: expected a vector or a matrix, got shape ${shapeStr(shape)}; use permutedims`);
  return applyOp("permutedims", [xi], { perm: [1, 0] });
}

/** Repeats `x` along its size-1 (and missing trailing) dims to make `shape` (Julia broadcasting). */
export function broadcastTo(x: TensorLike, shape: Shape): Tensor {
  const xi = input("broadcastTo", x);
  if (sameShape(typeOf("broadcastTo", xi).shape, shape)) return applyOp("copy", [xi], {});
  return applyOp("broadcastTo", [xi], { shape: [...shape] });
}

/**
 * One index of `getindex`: a 1-based position (the dim is dropped), ":" for the whole dim, an inclusive
 * 1-based range [first, last], or { start, stop, step } (inclusive, 1-based).
 */
export type Index = number | ":" | readonly [number, number] | { start: number; stop: number; step?: number } | IndexArray;

/** Julia's x[i, j, ...]: 1-based; integer indices drop their dim, ranges keep it. */
export function getindex(x: TensorLike, ...indices: Index[]): Tensor {
  const xi = input("getindex", x);
  const shape = typeOf("getindex", xi).shape;
  if (indices.length !== shape.length) {
    throw new ShapeError(`getindex: ${indices.length} indices for an array of shape ${shapeStr(shape)}; give one per dim`);
  }
  if (indices.some(isIndexArray)) return getindexByArray(xi, indices);
  const start: number[] = [], stop: number[] = [], step: number[] = [], kept: number[] = [];
  indices.forEach((ix, d) => {
    const n = shape[d]!;
    const [a, b, s] = ix === ":" ? [1, n, 1] : typeof ix === "number" ? [ix, ix, 1] : Array.isArray(ix) ? [ix[0], ix[1], 1] : [(ix as { start: number }).start, (ix as { stop: number }).stop, (ix as { step?: number }).step ?? 1];
    if (!Number.isInteger(a) || !Number.isInteger(b)) throw new ShapeError(`getindex: index ${JSON.stringify(ix)} in dim ${d + 1} must be integers`);
    if (b >= a && (a < 1 || b > n)) {
      throw new ShapeError(`getindex: index ${typeof ix === "number" ? ix : `${a}:${b}`} in dim ${d + 1} is out of bounds for an array of shape ${shapeStr(shape)}`);
    }
    start.push(a - 1);
    stop.push(b);
    step.push(s);
    if (typeof ix !== "number") kept.push(d);
  });
  const sliced = sliceAxes(xi, start, stop, step);
  return kept.length === shape.length ? sliced : reshape(sliced, kept.map((d) => sliced.shape[d]!));
}

/** x[ranges...]: a slice with 0-based starts, exclusive stops and steps (the IR's own form). */
export function sliceAxes(x: OpInput, start: readonly number[], stop: readonly number[], step: readonly number[]): Tensor {
  return applyOp("slice", [x], { start: [...start], stop: [...stop], step: [...step] });
}

/** Zeros of `shape` with `y` placed at the slice that starts at `start` (0-based) with `step`. */
export function unslice(y: OpInput, shape: Shape, start: readonly number[], step: readonly number[]): Tensor {
  return applyOp("unslice", [y], { shape: [...shape], start: [...start], step: [...step] });
}

/** Concatenates along 0-based `axis`. */
export function concatAxis(xs: readonly OpInput[], axis: number): Tensor {
  return applyOp("concat", xs, { axis });
}

/** Julia's cat(xs...; dims): concatenation along dim `dims` (1-based). */
export function concat(xs: readonly TensorLike[], opts: { dims: number }): Tensor {
  if (!Number.isInteger(opts.dims) || opts.dims < 1) throw new ShapeError(`concat: dims must be a positive integer, got ${opts.dims}`);
  const inputs = elementwiseOperandsNoBroadcast(xs);
  return concatAxis(inputs, opts.dims - 1);
}

/** vcat: concatenation along dim 1. */
export const vcat = (...xs: TensorLike[]): Tensor => concat(xs, { dims: 1 });
/** hcat: concatenation along dim 2. */
export const hcat = (...xs: TensorLike[]): Tensor => concat(xs, { dims: 2 });

function elementwiseOperandsNoBroadcast(xs: readonly TensorLike[]): OpInput[] {
  const tensors = xs.map((x, i) => (typeof x === "number" ? x : asInput("concat", `${i + 1}`, x)));
  const dtype = tensors.map((t) => (typeof t === "number" ? undefined : typeOf("concat", t).dtype)).find((d) => d !== undefined) ?? "f64";
  return tensors.map((t) => (typeof t === "number" ? full(t, [1], dtype) : t));
}

