/**
 * The model tree as the layers package reads it, on top of the graph package's walker: which values
 * are nodes, the trainable arrays (Optimisers' `trainables`), every array, and Float32/Float64 copies.
 */
import { Tensor, childrenOf, fmap, isFloatArray, isNdarray, leaves, toFlatArray, wrapColMajor, type NdArray } from "@tsflux/graph";

/** Objects the walker descends into: plain objects, arrays and class instances (not arrays of numbers, tensors or functions). */
export function isTreeNode(x: unknown): x is object {
  return typeof x === "object" && x !== null && !isNdarray(x) && !(x instanceof Tensor) && !ArrayBuffer.isView(x);
}

/** A plain `{ ... }` object (Julia's NamedTuple), as opposed to a class instance. */
export function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (!isTreeNode(x) || Array.isArray(x)) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** The trainable float arrays of `x`, each once, in walk order (Optimisers' `trainables`). */
export function trainables(x: unknown): NdArray[] {
  return leaves(x, { trainable: true, floatOnly: true }).map((l) => l.value);
}

/** Every array of `x` (trainable or not, any element type), each once. */
export function allArrays(x: unknown): NdArray[] {
  return leaves(x).map((l) => l.value);
}

/** `x`'s children, honouring a `trainable()` override. */
export function trainableChildren(x: object): [string | number, unknown][] {
  return childrenOf(x, { trainable: true });
}

function convertFloats(x: unknown, make: (values: number[]) => Float32Array | Float64Array): unknown {
  return fmap((a) => (isFloatArray(a) ? wrapColMajor(make(toFlatArray(a)), a.shape) : a), x);
}

/** A copy of `model` whose float arrays are Float64 (Flux's `f64`); other values are kept, shared arrays stay shared. */
export function f64<T>(model: T): T {
  return convertFloats(model, (v) => Float64Array.from(v)) as T;
}

/** A copy of `model` whose float arrays are Float32 (Flux's `f32`). */
export function f32<T>(model: T): T {
  return convertFloats(model, (v) => Float32Array.from(v)) as T;
}
