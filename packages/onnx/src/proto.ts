/**
 * The ONNX protobuf messages (from the `onnx-proto` package) and small builders for tensors,
 * attributes and nodes. Everything that reads or writes ONNX bytes goes through here.
 */
import { onnx } from "onnx-proto";
import type { DType } from "@tsflux/graph";
import { OnnxError } from "./errors";

export { onnx };

const DataType = onnx.TensorProto.DataType;

/** ONNX element type of a tsflux dtype. */
export function onnxDataType(dtype: DType): number {
  switch (dtype) {
    case "f32": return DataType.FLOAT;
    case "f64": return DataType.DOUBLE;
    case "i32": return DataType.INT32;
    case "bool": return DataType.BOOL;
  }
}

/** The tsflux dtype of an ONNX float element type (the types a tsflux model computes in). */
export function floatDTypeOf(dataType: number, what: string): "f32" | "f64" {
  if (dataType === DataType.FLOAT) return "f32";
  if (dataType === DataType.DOUBLE) return "f64";
  throw new OnnxError(`${what}: element type ${DataType[dataType] ?? dataType} is not supported; tsflux models compute in FLOAT or DOUBLE`);
}

/** A protobuf int64 as a JS number (decoded int64 fields arrive as Long objects). */
export function toNumber(v: number | { toNumber(): number } | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === "number" ? v : v.toNumber();
}

/** Little-endian bytes of a typed array's elements. */
export function rawBytes(data: ArrayBufferView): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
}

/** A tensor holding `data` (row-major, ONNX order) of shape `dims`. */
export function tensorProto(name: string, dims: readonly number[], dtype: DType, data: ArrayBufferView): onnx.ITensorProto {
  return { name, dims: [...dims], dataType: onnxDataType(dtype), rawData: rawBytes(data) };
}

/** An int64 tensor (shapes, axes, pads). */
export function int64Tensor(name: string, values: readonly number[], dims: readonly number[] = [values.length]): onnx.ITensorProto {
  return { name, dims: [...dims], dataType: DataType.INT64, int64Data: [...values] };
}

/** An attribute value as written in a mapping table; arrays of integers become INTS. */
export type AttrValue = number | string | readonly number[] | onnx.ITensorProto | { float: number };

const Attr = onnx.AttributeProto.AttributeType;

/** An AttributeProto: integers are INT, `{ float }` is FLOAT, strings STRING, number arrays INTS. */
export function attribute(name: string, value: AttrValue): onnx.IAttributeProto {
  if (typeof value === "number") {
    if (!Number.isInteger(value)) throw new OnnxError(`attribute ${name}: ${value} is not an integer; write { float: ${value} }`);
    return { name, type: Attr.INT, i: value };
  }
  if (typeof value === "string") return { name, type: Attr.STRING, s: new TextEncoder().encode(value) };
  if (Array.isArray(value)) return { name, type: Attr.INTS, ints: [...(value as number[])] };
  if ("float" in value) return { name, type: Attr.FLOAT, f: value.float };
  return { name, type: Attr.TENSOR, t: value as onnx.ITensorProto };
}

/** An attribute's value as a JS value: numbers, number arrays, strings or a tensor. */
export function attributeValue(a: onnx.IAttributeProto): number | number[] | string | onnx.ITensorProto | undefined {
  switch (a.type) {
    case Attr.INT: return toNumber(a.i);
    case Attr.FLOAT: return a.f ?? 0;
    case Attr.INTS: return (a.ints ?? []).map(toNumber);
    case Attr.FLOATS: return [...(a.floats ?? [])];
    case Attr.STRING: return new TextDecoder().decode(a.s ?? new Uint8Array());
    case Attr.TENSOR: return a.t ?? undefined;
    default: return undefined;
  }
}

/** A ValueInfoProto for a tensor; a string dim is symbolic (`"batch"`). */
export function valueInfo(name: string, dtype: DType, dims: readonly (number | string)[]): onnx.IValueInfoProto {
  const dim = dims.map((d) => (typeof d === "number" ? { dimValue: d } : { dimParam: d }));
  return { name, type: { tensorType: { elemType: onnxDataType(dtype), shape: { dim } } } };
}

/** One value of a dtype as a typed array (for scalar constants and ConstantOfShape's value). */
export function scalarData(value: number, dtype: DType): ArrayBufferView {
  switch (dtype) {
    case "f32": return Float32Array.of(value);
    case "f64": return Float64Array.of(value);
    case "i32": return Int32Array.of(value);
    case "bool": return Uint8Array.of(value ? 1 : 0);
  }
}
