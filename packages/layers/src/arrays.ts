/** Array helpers shared by the layers: element types, sizes, and turning layer inputs into tensors. */
import { BYTES, GraphError, ShapeError, Tensor, astype, dtypeOfArray, isNdarray, juliaName, numel, type DType, type NdArray } from "@tsflux/graph";
import { warnFloat64Input } from "./eltype-warning";

/** A parameter as a layer holds it: an ndarray, or a Tensor when a test or a transform substitutes one. */
export type Param = NdArray | Tensor;

/** The element type of an ndarray or tensor (undefined for storage tsflux does not read). */
export function dtypeOf(x: Param): DType | undefined {
  return x instanceof Tensor ? x.dtype : dtypeOfArray(x.data);
}

/** Julia's name for the element type: "Float32" ("Any" for storage tsflux does not read). */
export function dtypeName(x: Param | DType): string {
  const d = typeof x === "string" ? x : dtypeOf(x);
  return d ? juliaName(d) : "Any";
}

/** Bytes the elements of `x` take (its logical size, whatever the storage around it). */
export function arrayBytes(x: NdArray): number {
  const d = dtypeOf(x);
  return numel(x.shape) * (d ? BYTES[d] : x.data.BYTES_PER_ELEMENT);
}

/** A layer input as a tensor: tensors pass through, ndarrays are wrapped (while tracing they are captured). */
export function asTensor(x: unknown): Tensor {
  if (x instanceof Tensor) return x;
  if (isNdarray(x)) return Tensor.concrete(x);
  const got = typeof x === "number" ? "a number" : x === null ? "null" : Array.isArray(x) ? "a plain JS array" : typeof x;
  throw new GraphError(`expected a Tensor or an ndarray as input, got ${got}`);
}

/** A layer's or function's result as a tensor (an ndarray is wrapped; anything else is an error naming `what()`). */
export function requireTensor(y: unknown, what: () => string): Tensor {
  if (y instanceof Tensor) return y;
  if (isNdarray(y)) return Tensor.concrete(y);
  throw new GraphError(`${what()}: expected a Tensor result, got ${y === null ? "null" : typeof y}`);
}

/** A shape as messages print it: `[31, 5]`. */
export function sizeStr(shape: readonly number[]): string {
  return `[${shape.join(", ")}]`;
}

/** Requires size(x, d) == sizes[d] for the leading dims (a layer's feature dims); the message names both sizes. */
export function requireLeadingSizes(x: Tensor, sizes: readonly number[]): void {
  const shape = x.shape;
  for (let d = 0; d < sizes.length; d++) {
    if (shape[d] !== sizes[d]) throw new ShapeError(`expected size(x, ${d + 1}) == ${sizes[d]}, got x of size ${sizeStr(shape)}`);
  }
}

/**
 * Input in the element type of the layer's parameters, as Flux's `_match_eltype`: integer and Bool
 * arrays are converted; Float64 input to Float32 parameters is converted with a one-time warning;
 * Float32 input to Float64 parameters is widened (exactly what Julia's promotion computes).
 */
export function matchParamType(x: Tensor, param: Param): Tensor {
  const want = dtypeOf(param)!;
  if (x.dtype === want) return x;
  if (x.dtype === "f64" && want === "f32") warnFloat64Input(x.shape);
  return astype(x, want);
}
