/** Shapes are Julia-style: column-major, 1-based dims in the public API, missing trailing dims are 1. */
import { ShapeError, OutOfMemoryError } from "./errors";
import { BYTES, type DType } from "./dtype";

/** An array's size along each dimension (Julia order: the first dimension varies fastest). */
export type Shape = readonly number[];

/** A shape as text: `[3, 4]`. */
export function shapeStr(shape: Shape): string {
  return `[${shape.join(", ")}]`;
}

export function sameShape(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Number of elements, checked: each dim a non-negative safe integer, the product exact. */
export function numel(shape: Shape, op = "shape"): number {
  let n = 1;
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) throw new ShapeError(`${op}: invalid dimension ${d} in shape ${shapeStr(shape)}`);
    n *= d;
    if (!Number.isSafeInteger(n)) throw new ShapeError(`${op}: shape ${shapeStr(shape)} has more elements than can be counted exactly`);
  }
  return n;
}

/** Column-major strides: the first dimension is contiguous. */
export function colMajorStrides(shape: Shape): number[] {
  const s: number[] = [];
  let acc = 1;
  for (const d of shape) {
    s.push(acc);
    acc *= d;
  }
  return s;
}

/** The dims of `shape` padded with trailing 1s to `rank` (Julia broadcasting). */
export function padTo(shape: Shape, rank: number): number[] {
  const out = shape.slice();
  while (out.length < rank) out.push(1);
  return out;
}

/** Julia broadcasting of two shapes: trailing dims padded with 1, each dim equal or 1. */
export function broadcastShapes(op: string, a: Shape, b: Shape, names: [string, string] = ["a", "b"]): number[] {
  const rank = Math.max(a.length, b.length);
  const out = new Array<number>(rank);
  for (let i = 0; i < rank; i++) {
    const da = a[i] ?? 1, db = b[i] ?? 1;
    if (da === db || db === 1) out[i] = da;
    else if (da === 1) out[i] = db;
    else {
      throw new ShapeError(
        `${op}: shapes ${shapeStr(a)} (${names[0]}) and ${shapeStr(b)} (${names[1]}) do not broadcast: ` +
          `dimension ${i + 1} is ${da} vs ${db}`,
      );
    }
  }
  return out;
}

/** Whether `from` broadcasts to exactly `to` (Julia rules). */
export function broadcastsTo(from: Shape, to: Shape): boolean {
  if (from.length > to.length && from.slice(to.length).some((d) => d !== 1)) return false;
  return to.every((d, i) => (from[i] ?? 1) === d || (from[i] ?? 1) === 1);
}

/** Normalises Julia `dims` (1-based; a number or a list) to sorted 0-based axes below `rank`. */
export function normalizeDims(op: string, dims: number | readonly number[] | undefined, rank: number): number[] {
  if (dims === undefined) {
    const all: number[] = [];
    for (let i = 0; i < rank; i++) all.push(i);
    return all;
  }
  if (typeof dims === "number") {
    if (!Number.isInteger(dims) || dims < 1) throw new ShapeError(`${op}: dims must be positive integers (1-based, as in Julia), got ${dims}`);
    return dims - 1 < rank ? [dims - 1] : [];
  }
  const list = [...dims];
  for (const d of list) {
    if (!Number.isInteger(d) || d < 1) throw new ShapeError(`${op}: dims must be positive integers (1-based, as in Julia), got ${d}`);
  }
  return [...new Set(list.map((d) => d - 1).filter((d) => d < rank))].sort((x, y) => x - y);
}

/** 1 GiB: below the 2 GiB the WebAssembly heap can hold, so the budget speaks before the heap runs out. */
let memoryBudget = 1024 ** 3;

/** Sets the largest number of bytes one array or one plan's arena may take (default 1 GiB); returns the old budget. */
export function setMemoryBudget(bytes: number): number {
  const old = memoryBudget;
  memoryBudget = bytes;
  return old;
}

/** The most bytes one array or plan may take (see setMemoryBudget). */
export function getMemoryBudget(): number {
  return memoryBudget;
}

/** Throws OutOfMemoryError if `bytes` exceed the budget; `what` names the op or plan (a function builds it only then). */
export function checkBudget(what: string | (() => string), bytes: number): void {
  if (bytes > memoryBudget) {
    const name = typeof what === "string" ? what : what();
    throw new OutOfMemoryError(`${name}: needs ${formatBytes(bytes)}, more than the memory budget of ${formatBytes(memoryBudget)} (setMemoryBudget)`);
  }
}

/** Bytes of an array of this shape and dtype, checked for overflow and against the budget. */
export function arrayBytes(op: string, shape: Shape, dtype: DType): number {
  const bytes = numel(shape, op) * BYTES[dtype];
  checkBudget(() => `${op}: an array of shape ${shapeStr(shape)}`, bytes);
  return bytes;
}

const BYTE_UNITS = ["byte", "KiB", "MiB", "GiB", "TiB", "PiB"];

/**
 * Julia's `Base.format_bytes`: "240 bytes", "99.414 KiB". The unit is ceil(log(n) / log(1024)); larger
 * units print exactly three decimals, rounded half to even on the exact value (as Julia's Ryu does).
 */
export function formatBytes(bytes: number): string {
  if (!Number.isSafeInteger(bytes) || bytes < 0) throw new RangeError(`formatBytes: expected a byte count, got ${bytes}`);
  const unit = bytes <= 1 ? 1 : Math.min(BYTE_UNITS.length, Math.ceil(Math.log(bytes) / Math.log(1024)));
  if (unit === 1) return `${bytes} ${BYTE_UNITS[0]}${bytes === 1 ? "" : "s"}`;
  const divisor = 1024n ** BigInt(unit - 1);
  const scaled = BigInt(bytes) * 1000n;
  let thousandths = scaled / divisor;
  const twiceRemainder = 2n * (scaled % divisor);
  if (twiceRemainder > divisor || (twiceRemainder === divisor && thousandths % 2n === 1n)) thousandths += 1n;
  const whole = thousandths / 1000n, fraction = String(thousandths % 1000n).padStart(3, "0");
  return `${whole}.${fraction} ${BYTE_UNITS[unit - 1]}`;
}
