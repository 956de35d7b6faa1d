/**
 * Tensor handles. A concrete tensor wraps an ndarray (ops on it run at once); a symbolic tensor refers
 * to a buffer of the graph being traced. A user-facing symbolic handle follows its buffer: after an
 * in-place op it reads the newest version, as a Julia array does. Handles given to derivative rules
 * are pinned to one SSA value.
 */
import { GraphError } from "./errors";
import type { DType } from "./dtype";
import type { Buffer, Value } from "./ir/graph";
import type { Trace } from "./ir/trace-context";
import { dtypeOf, isNdarray, toFlatArray, type NdArray } from "./ndarray-util";
import { numel, shapeStr, type Shape } from "./shape";
import { printValueName } from "./ir/print";

/** What the ops accept: a Tensor, an ndarray or a number. */
export type TensorLike = Tensor | NdArray | number;

/** An array in a computation: concrete (holding an ndarray) or symbolic (a value of the graph being traced). */
export class Tensor {
  private constructor(
    /** Concrete storage, or undefined when symbolic. */
    readonly array: NdArray | undefined,
    /** The trace this symbolic tensor belongs to. */
    readonly trace: Trace | undefined,
    private readonly buffer: Buffer | undefined,
    private readonly pinned: Value | undefined,
  ) {}

  static concrete(array: NdArray): Tensor {
    dtypeOf("Tensor", array);
    return new Tensor(array, undefined, undefined, undefined);
  }

  /** A handle that follows `buffer` to its newest version. */
  static following(trace: Trace, buffer: Buffer): Tensor {
    return new Tensor(undefined, trace, buffer, undefined);
  }

  /** A handle fixed to one SSA value (used by derivative rules and visitors). */
  static pinned(trace: Trace, value: Value): Tensor {
    return new Tensor(undefined, trace, value.buffer, value);
  }

  get isSymbolic(): boolean {
    return this.trace !== undefined;
  }

  /** The SSA value this handle reads now. */
  get value(): Value {
    if (!this.trace) throw new GraphError("Tensor.value: a concrete tensor has no graph value");
    if (this.pinned) return this.trace.resolve(this.pinned);
    return this.trace.latest(this.buffer!.id);
  }

  get shape(): Shape {
    return this.array ? this.array.shape : this.value.shape;
  }

  get dtype(): DType {
    return this.array ? dtypeOf("Tensor", this.array) : this.value.dtype;
  }

  /** Number of dimensions. */
  get ndims(): number {
    return this.shape.length;
  }

  /** The array of a concrete tensor. */
  toNdarray(): NdArray {
    if (!this.array) {
      throw new GraphError(`toNdarray: ${this.describe()} is symbolic (it is being traced); return it from the traced function instead`);
    }
    return this.array;
  }

  /** `Number(t)`: the value of a one-element concrete tensor. */
  [Symbol.toPrimitive](hint: string): number | string {
    if (hint === "string") return this.toString();
    return this.toNumber();
  }

  toNumber(): number {
    if (!this.array) throw new GraphError(`Number(t): ${this.describe()} is symbolic (it is being traced) and has no value yet`);
    if (numel(this.array.shape) !== 1) throw new GraphError(`Number(t): expected a tensor with one element, got shape ${shapeStr(this.array.shape)}`);
    return toFlatArray(this.array)[0]!;
  }

  describe(): string {
    const t = `${this.dtype}${shapeStr(this.shape).replace(/ /g, "")}`;
    return this.array ? `Tensor(${t})` : `${printValueName(this.value)}:${t}`;
  }

  toString(): string {
    if (!this.array) return this.describe();
    const flat = toFlatArray(this.array);
    const body = flat.length > 16 ? `${flat.slice(0, 16).join(", ")}, ...` : flat.join(", ");
    return `Tensor(${this.dtype}${shapeStr(this.shape).replace(/ /g, "")}, [${body}])`;
  }
}

export function isTensorLike(x: unknown): x is TensorLike {
  return x instanceof Tensor || typeof x === "number" || isNdarray(x);
}
