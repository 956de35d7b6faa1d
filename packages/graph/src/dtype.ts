/** Element types. Only the float types are differentiable; `i32` and `bool` are data (labels, masks). */
export type DType = "f32" | "f64" | "i32" | "bool";
/** The floating-point dtypes: Float32 and Float64. */
export type FloatDType = "f32" | "f64";

/** The storage of an array of each dtype. */
export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;
/** The storage of a floating-point array. */
export type FloatArray = Float32Array | Float64Array;

/** Bytes per element of each dtype. */
export const BYTES: Record<DType, number> = { f32: 4, f64: 8, i32: 4, bool: 1 };

export function isFloat(d: DType): d is FloatDType {
  return d === "f32" || d === "f64";
}

export function arrayConstructor(d: DType): { new (n: number): TypedArray; new (b: ArrayBufferLike, o: number, n: number): TypedArray } {
  switch (d) {
    case "f32": return Float32Array;
    case "f64": return Float64Array;
    case "i32": return Int32Array;
    case "bool": return Uint8Array;
  }
}

/** The dtype of a typed array, or undefined for storage tsflux does not read (generic arrays, Int16Array, ...). */
export function dtypeOfArray(data: unknown): DType | undefined {
  if (data instanceof Float32Array) return "f32";
  if (data instanceof Float64Array) return "f64";
  if (data instanceof Int32Array) return "i32";
  if (data instanceof Uint8Array) return "bool";
  return undefined;
}

/** Julia's spelling of an element type, for messages that a Flux user reads. */
export function juliaName(d: DType): string {
  return { f32: "Float32", f64: "Float64", i32: "Int32", bool: "Bool" }[d];
}
