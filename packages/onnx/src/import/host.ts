/**
 * Host tensors: ONNX tensors held as plain JS data (row-major, ONNX dims). Integer tensors (shapes, axes,
 * indices) stay on the host and are computed with at trace time, as ONNX shape inference would; float
 * tensors become tsflux arrays (the same bytes as a column-major array of the reversed dims).
 */
import { numel, wrapColMajor, type NdArray } from "@tsflux/graph";
import { onnx, toNumber } from "../proto";
import { OnnxError } from "../errors";

const DataType = onnx.TensorProto.DataType;

export interface HostTensor {
  readonly kind: "host";
  /** ONNX (row-major) dims. */
  readonly dims: readonly number[];
  readonly dataType: number;
  /** Row-major values. */
  readonly data: Float32Array | Float64Array | readonly number[];
}

export const isHost = (x: unknown): x is HostTensor => typeof x === "object" && x !== null && (x as HostTensor).kind === "host";

export function host(dims: readonly number[], data: readonly number[], dataType: number = DataType.INT64): HostTensor {
  return { kind: "host", dims, dataType, data };
}

export const isFloatType = (t: number): boolean => t === DataType.FLOAT || t === DataType.DOUBLE;

/** The values of a TensorProto (raw bytes or typed fields). */
export function decodeTensor(t: onnx.ITensorProto, what: string): HostTensor {
  const dims = (t.dims ?? []).map(toNumber);
  const type = t.dataType ?? 0, n = dims.reduce((a, b) => a * b, 1);
  if (t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL) throw new OnnxError(`${what}: tensor '${t.name}' keeps its data in an external file, which fromOnnx does not read`);
  const raw = t.rawData && t.rawData.length > 0 ? t.rawData : undefined;
  const view = raw ? new DataView(raw.buffer, raw.byteOffset, raw.byteLength) : undefined;
  const read = (size: number, get: (off: number) => number): number[] => Array.from({ length: n }, (_, i) => get(i * size));
  switch (type) {
    case DataType.FLOAT:
      return { kind: "host", dims, dataType: type, data: view ? Float32Array.from(read(4, (o) => view.getFloat32(o, true))) : Float32Array.from(t.floatData ?? []) };
    case DataType.DOUBLE:
      return { kind: "host", dims, dataType: type, data: view ? Float64Array.from(read(8, (o) => view.getFloat64(o, true))) : Float64Array.from(t.doubleData ?? []) };
    case DataType.INT64:
      return host(dims, view ? read(8, (o) => Number(view.getBigInt64(o, true))) : (t.int64Data ?? []).map(toNumber), type);
    case DataType.INT32: case DataType.INT8: case DataType.UINT8: case DataType.BOOL: case DataType.INT16: {
      const size = type === DataType.INT32 ? 4 : type === DataType.INT16 ? 2 : 1;
      const get = (o: number) => (size === 4 ? view!.getInt32(o, true) : size === 2 ? view!.getInt16(o, true) : type === DataType.INT8 ? view!.getInt8(o) : view!.getUint8(o));
      return host(dims, view ? read(size, get) : (t.int32Data ?? []).map(Number), type);
    }
    default:
      throw new OnnxError(`${what}: tensor '${t.name}' has element type ${DataType[type] ?? type}, which fromOnnx does not read`);
  }
}

/** A float host tensor as a tsflux array: column-major with the dims reversed (the same bytes), Float32 or Float64. */
export function toArray(t: HostTensor, dtype: "f32" | "f64" = t.dataType === DataType.DOUBLE ? "f64" : "f32"): NdArray {
  const shape = [...t.dims].reverse();
  const data = dtype === "f64" ? Float64Array.from(t.data) : Float32Array.from(t.data);
  if (data.length !== numel(shape)) throw new OnnxError(`fromOnnx: a tensor of dims [${t.dims.join(", ")}] holds ${data.length} values`);
  return wrapColMajor(data, shape);
}
