/**
 * The safetensors format: 8 bytes of little-endian header length N, N bytes of JSON header (padded
 * with spaces to a multiple of 8), then the raw little-endian data of every tensor. The header maps
 * each tensor's name to `{ dtype, shape, data_offsets: [begin, end] }` (offsets into the data section)
 * and may hold `__metadata__`, a map of strings. Data is stored row-major (C order), as every other
 * reader expects; tsflux's column-major arrays are converted on the way in and out, so a Dense
 * weight [out, in] is stored as PyTorch stores a Linear weight.
 */
import ndarray from "ndarray";
import { numel, toColMajor, wrapColMajor, type DType, type NdArray, type TypedArray } from "@tsflux/graph";
import { dtypeOf } from "../arrays";
import { SafetensorsError } from "../errors";
import { unsafeSegment } from "./safe-names";

/** Tensors by name, and the string metadata, as a safetensors file holds them. */
export interface SafetensorsContent {
  readonly tensors: Map<string, NdArray>;
  readonly metadata: Record<string, string>;
}

const DTYPES: Record<DType, string> = { f32: "F32", f64: "F64", i32: "I32", bool: "BOOL" };
/** How each stored dtype is read: bytes per element, and a typed array over a buffer. */
const READERS: Record<string, { readonly bytes: number; readonly read: (buffer: ArrayBuffer) => TypedArray }> = {
  F32: { bytes: 4, read: (b) => new Float32Array(b) },
  F64: { bytes: 8, read: (b) => new Float64Array(b) },
  I32: { bytes: 4, read: (b) => new Int32Array(b) },
  BOOL: { bytes: 1, read: (b) => new Uint8Array(b) },
};

/** The most bytes one buffer (and so one encoded file) can hold in this JavaScript engine. */
/** The most bytes one buffer can hold: Node's buffer limit where there is one, else 2³¹ - 1. */
const MAX_FILE_BYTES = maxBufferBytes();

function maxBufferBytes(): number {
  type Builtins = { getBuiltinModule?(id: string): unknown };
  const buffer = (globalThis as { process?: Builtins }).process?.getBuiltinModule?.("buffer") as { kMaxLength?: number } | undefined;
  return buffer?.kMaxLength ?? 2 ** 31 - 1;
}

// The typed arrays are written and read in the platform's byte order, which must be little-endian.
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function reversedAxes(rank: number): number[] {
  return Array.from({ length: rank }, (_, i) => rank - 1 - i);
}

/** The elements of `a` in row-major order (the last index varies fastest). */
function rowMajorBytes(a: NdArray): Uint8Array {
  const data = toColMajor(a.transpose(...reversedAxes(a.shape.length)), true).data;
  return new Uint8Array(data.buffer, data.byteOffset, numel(a.shape) * data.BYTES_PER_ELEMENT);
}

/** A column-major array of size `shape` from its row-major elements. */
function fromRowMajor(data: TypedArray, shape: number[]): NdArray {
  const reversed = wrapColMajor(data, [...shape].reverse());
  return toColMajor(ndarray(reversed.data, reversed.shape, reversed.stride, reversed.offset).transpose(...reversedAxes(shape.length)), true);
}

/** The bytes of a safetensors file holding `tensors` (in the order given) and `metadata`. */
export function encodeSafetensors(tensors: Iterable<readonly [string, NdArray]>, metadata: Record<string, string> = {}): Uint8Array {
  if (!littleEndian) throw new SafetensorsError("safetensors: writing needs a little-endian platform");
  const header: Record<string, unknown> = Object.create(null);
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  const parts: Uint8Array[] = [];
  let offset = 0;
  for (const [name, array] of tensors) {
    const dtype = dtypeOf(array);
    if (dtype === undefined) throw new SafetensorsError(`safetensors: tensor "${name}" has storage tsflux cannot write (${array.data.constructor.name})`);
    if (name === "__metadata__" || Object.hasOwn(header, name)) throw new SafetensorsError(`safetensors: the tensor name "${name}" is ${name === "__metadata__" ? "reserved" : "used twice"}`);
    refuseUnsafeName(name);
    const size = array.shape.reduce((n, d) => n * d, 1) * array.data.BYTES_PER_ELEMENT; // may exceed exact integers: checked next
    if (offset + size > MAX_FILE_BYTES) {
      throw new SafetensorsError(`safetensors: tensor "${name}" (${DTYPES[dtype]} [${array.shape.join(", ")}]) is too large to save: the data would take ${offset + size} bytes, more than the ${MAX_FILE_BYTES} one buffer can hold`);
    }
    const bytes = rowMajorBytes(array);
    header[name] = { dtype: DTYPES[dtype], shape: [...array.shape], data_offsets: [offset, offset + bytes.length] };
    parts.push(bytes);
    offset += bytes.length;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerBytes = new Uint8Array(json.length + ((8 - (json.length % 8)) % 8)).fill(0x20); // spaces: 8 + N is a multiple of 8
  headerBytes.set(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function fail(message: string): never {
  throw new SafetensorsError(`safetensors: ${message}`);
}

function refuseUnsafeName(name: string): void {
  const segment = unsafeSegment(name);
  if (segment !== undefined) fail(`the tensor name "${name}" has the part "${segment}", which would reach objects' prototypes when loaded; tsflux refuses it`);
}

function readHeader(bytes: Uint8Array): Record<string, unknown> {
  if (bytes.length < 8) fail(`${bytes.length} bytes is too short for a header`);
  const length = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0, true);
  if (length > BigInt(bytes.length - 8)) fail(`the header claims ${length} bytes, but only ${bytes.length - 8} follow`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + Number(length))));
  } catch (e) {
    fail(`the header is not valid JSON (${(e as Error).message})`);
  }
  if (header === null || typeof header !== "object" || Array.isArray(header)) fail("the header is not a JSON object");
  return header as Record<string, unknown>;
}

function readMetadata(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (value === null || typeof value !== "object" || Array.isArray(value) || !Object.values(value).every((v) => typeof v === "string")) {
    fail("__metadata__ must map names to strings");
  }
  return { ...(value as Record<string, string>) };
}

interface Entry {
  readonly name: string;
  readonly dtype: string;
  readonly shape: number[];
  readonly begin: number;
  readonly end: number;
}

function readEntry(name: string, info: unknown): Entry {
  refuseUnsafeName(name);
  const { dtype, shape, data_offsets: offsets } = (info ?? {}) as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
  if (typeof dtype !== "string") fail(`tensor "${name}" has no dtype`);
  if (!Object.hasOwn(READERS, dtype)) fail(`tensor "${name}" has dtype ${dtype}; tsflux reads ${Object.keys(READERS).join(", ")}`);
  const isCount = (x: unknown): x is number => Number.isSafeInteger(x) && (x as number) >= 0;
  if (!Array.isArray(shape) || !shape.every(isCount)) fail(`tensor "${name}" has an invalid shape ${JSON.stringify(shape)}`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isCount) || offsets[0]! > offsets[1]!) {
    fail(`tensor "${name}" has invalid data_offsets ${JSON.stringify(offsets)}`);
  }
  const [begin, end] = offsets as [number, number];
  const expected = numel(shape) * READERS[dtype]!.bytes;
  if (end - begin !== expected) fail(`tensor "${name}" (${dtype} [${shape.join(", ")}]) needs ${expected} bytes, its data_offsets span ${end - begin}`);
  return { name, dtype, shape, begin, end };
}

/** The tensors and metadata of a safetensors file's bytes; anything malformed is a SafetensorsError. */
export function decodeSafetensors(bytes: Uint8Array): SafetensorsContent {
  if (!littleEndian) throw new SafetensorsError("safetensors: reading needs a little-endian platform");
  const header = readHeader(bytes);
  const dataStart = 8 + Number(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0, true));
  const dataLength = bytes.length - dataStart;
  const entries = Object.entries(header).filter(([k]) => k !== "__metadata__").map(([k, v]) => readEntry(k, v));
  // the data section must be covered exactly, without holes or overlaps
  let covered = 0;
  for (const e of [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end)) {
    if (e.end > dataLength) fail(`tensor "${e.name}" (${e.dtype} [${e.shape.join(", ")}]) ends at byte ${e.end} of the data, but the file holds ${dataLength} bytes of data`);
    if (e.begin !== covered) fail(`tensor "${e.name}" starts at byte ${e.begin} of the data, expected ${covered} (a hole or an overlap)`);
    covered = e.end;
  }
  if (covered !== dataLength) fail(`the tensors cover ${covered} bytes of data, but the file holds ${dataLength}`);
  const tensors = new Map<string, NdArray>();
  for (const e of entries) {
    const data = READERS[e.dtype]!.read(new Uint8Array(bytes.subarray(dataStart + e.begin, dataStart + e.end)).buffer);
    tensors.set(e.name, fromRowMajor(data, e.shape));
  }
  return { tensors, metadata: readMetadata(header.__metadata__) };
}
