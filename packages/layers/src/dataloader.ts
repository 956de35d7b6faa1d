/**
 * DataLoader (MLUtils' `DataLoader`): iterates over mini-batches of arrays along their last dimension
 * (the observations). Tuple data (a JS array of arrays) yields arrays of batches in the same order;
 * an object of arrays yields objects. Each batch is a new column-major array; the data is not modified.
 */
import { RandomGenerator, ShapeError, globalRng, isNdarray, toColMajor, wrapColMajor, type NdArray, allocData, dtypeOf, numel } from "@tsflux/graph";
import { ArgumentError } from "./errors";
import { callable } from "./callable";
import { sizeStr } from "./arrays";

/** One array, a tuple of arrays, or named arrays; all share the last dimension. */
export type Batchable = NdArray | readonly NdArray[] | { readonly [name: string]: NdArray };

/** Options of `DataLoader`: batch size, shuffling, a partial last batch, and the generator. */
export interface DataLoaderOptions {
  /** Observations per batch (default 1). */
  batchsize?: number;
  /** Draw a new random order on every pass (default false). */
  shuffle?: boolean;
  /** Keep a last batch smaller than `batchsize` (default true); false drops it. */
  partial?: boolean;
  /** The generator shuffling uses (default: tsflux's global one). */
  rng?: RandomGenerator;
}

/** The arrays of `data` with their names (positions for a tuple, "" for a single array). */
function namedArrays(data: Batchable): [string, NdArray][] {
  if (isNdarray(data)) return [["", data]];
  const entries = Object.entries(data);
  if (entries.length === 0) throw new ArgumentError("DataLoader: the data holds no arrays");
  for (const [name, a] of entries) {
    if (!isNdarray(a)) throw new ArgumentError(`DataLoader: data[${name}] must be an ndarray, got ${typeof a}`);
  }
  return entries;
}

/** Copies the observations `indices` (0-based, along the last dim) of column-major `a` into a new array. */
function gather(a: NdArray, indices: readonly number[]): NdArray {
  const lead = a.shape.slice(0, -1), block = numel(lead);
  const out = allocData(dtypeOf("DataLoader", a), block * indices.length);
  indices.forEach((obs, k) => {
    for (let i = 0; i < block; i++) out[k * block + i] = a.data[a.offset + obs * block + i]!;
  });
  return wrapColMajor(out, [...lead, indices.length]);
}

class DataLoaderImpl<const D extends Batchable> implements Iterable<D> {
  readonly data: D;
  readonly batchsize: number;
  readonly shuffle: boolean;
  readonly partial: boolean;
  readonly rng: RandomGenerator;
  /** Number of observations. */
  readonly nobs: number;
  private readonly arrays: [string, NdArray][];

  constructor(data: D, opts: DataLoaderOptions = {}) {
    const batchsize = opts.batchsize ?? 1;
    if (!Number.isSafeInteger(batchsize) || batchsize < 1) throw new ArgumentError(`DataLoader: batchsize must be a positive integer, got ${batchsize}`);
    const arrays = namedArrays(data);
    for (const [name, a] of arrays) {
      if (a.shape.length === 0) throw new ShapeError(`DataLoader: data${name === "" ? "" : `[${name}]`} is 0-dimensional; observations run along the last dimension`);
    }
    const [firstName, first] = arrays[0]!;
    const nobs = first.shape[first.shape.length - 1]!;
    for (const [name, a] of arrays) {
      if (a.shape[a.shape.length - 1] !== nobs) {
        throw new ShapeError(`DataLoader: all arrays need the same last dimension (the number of observations): data[${firstName}] has size ${sizeStr(first.shape)}, data[${name}] has size ${sizeStr(a.shape)}`);
      }
    }
    this.data = data;
    this.batchsize = batchsize;
    this.shuffle = opts.shuffle ?? false;
    this.partial = opts.partial ?? true;
    this.rng = opts.rng ?? globalRng;
    this.nobs = nobs;
    this.arrays = arrays.map(([name, a]) => [name, toColMajor(a)]);
  }

  /** Number of batches per pass. */
  get length(): number {
    return this.partial ? Math.ceil(this.nobs / this.batchsize) : Math.floor(this.nobs / this.batchsize);
  }

  /** The order of observations for one pass (Fisher-Yates when shuffling). */
  private order(): number[] {
    const order = Array.from({ length: this.nobs }, (_, i) => i);
    if (!this.shuffle) return order;
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(this.rng.next() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    return order;
  }

  private batch(indices: readonly number[]): D {
    const parts = this.arrays.map(([name, a]) => [name, gather(a, indices)] as const);
    if (isNdarray(this.data)) return parts[0]![1] as D;
    const arrays: unknown = parts.map(([, b]) => b);
    if (Array.isArray(this.data)) return arrays as D;
    return Object.fromEntries(parts) as D;
  }

  *[Symbol.iterator](): Iterator<D> {
    const order = this.order();
    for (let start = 0; start < this.length * this.batchsize && start < this.nobs; start += this.batchsize) {
      yield this.batch(order.slice(start, start + this.batchsize));
    }
  }
}

/**
 * `DataLoader(data, { batchsize, shuffle, partial, rng })`, with or without `new`: an iterable of
 * batches along the last dimension, `length` batches per pass.
 *
 * @example
 * for (const [x, y] of DataLoader([X, Y], { batchsize: 64, shuffle: true })) { ... }  // X [784, n], Y [10, n]
 * DataLoader(randn32(2, 10), { batchsize: 3 }).length;  // 4 (3 + 3 + 3 + 1)
 */
export const DataLoader = callable<typeof DataLoaderImpl, <const D extends Batchable>(data: D, opts?: DataLoaderOptions) => DataLoaderImpl<D>>(DataLoaderImpl, "DataLoader");
export type DataLoader<D extends Batchable = Batchable> = DataLoaderImpl<D>;
