/**
 * Enzyme's activity annotations. `Const(x)`: not differentiated. `Duplicated(x, dx)`: x with a shadow dx
 * that accumulates the gradient in reverse mode (a tangent seed in forward mode); `Duplicated(x)` makes
 * the shadow with `makeZero`. `DuplicatedNoNeed`: like Duplicated, but x's old contents are not needed
 * (and not kept). `Active(x)`: a scalar whose derivative is returned. All work with and without `new`.
 */
import { inspectCustom, isNdarray, isFloatArray, leaves, ShapeError, Tensor } from "@tsflux/graph";
import { callable } from "@tsflux/layers";
import { makeZero } from "./make-zero";
import { sharedMemory } from "./shared-memory";
import { ArgumentError } from "./errors";
import { showDuplicated } from "./show";

const DUPLICATED = Symbol.for("tsflux.duplicated");

/** An argument marked `Const(x)`: passed as it is, not differentiated. */
export class ConstArg<T = unknown> {
  /** Types only (nothing at run time): keeps a Const from matching Active's or a plain object's type. */
  declare protected readonly constBrand: true;
  constructor(readonly val: T) {}
}

/** An argument marked `Duplicated(x, dx)`: the value `val` and its shadow `dval`, which accumulates the gradient. */
export class DuplicatedArg<T = unknown> {
  /** Marks Duplicated for packages that cannot import this class (optim recognises it by this). */
  readonly [DUPLICATED] = true;
  readonly val: T;
  readonly dval: T;

  constructor(val: T, dval?: T) {
    this.val = val;
    this.dval = dval === undefined ? makeZero(val) : dval;
    checkShadow(this.val, this.dval, new.target.name);
  }

  /** Flux's show: the model, then `# norm(∇) ≈ ...` of the shadow. */
  toString(): string {
    return showDuplicated(this);
  }

  [inspectCustom](): string {
    return this.toString();
  }
}

/** An argument marked `DuplicatedNoNeed(x, dx)`: like Duplicated, but x's old contents are not kept. */
export class DuplicatedNoNeedArg<T = unknown> extends DuplicatedArg<T> {}

/** An argument marked `Active(x)`: a scalar whose derivative is returned. */
export class ActiveArg {
  /** A number, or (inside a traced function) a one-element tensor. */
  constructor(readonly val: number | Tensor) {
    const scalarTensor = val instanceof Tensor && val.shape.every((d) => d === 1);
    if (typeof val !== "number" && !scalarTensor) throw new TypeError(`Active(x) is for scalars; for arrays use Duplicated(x), got ${describe(val)}`);
  }
}

/**
 * The shadow must have the value's float arrays at the same places, with the same shapes and types, and
 * memory of its own: a shadow array overlapping any array of the value is an ArgumentError naming both.
 */
export function checkShadow(val: unknown, dval: unknown, what = "Duplicated"): void {
  if (isNdarray(val) || val instanceof Tensor) {
    const [a, b] = [val, dval] as [{ shape: readonly number[] }, { shape?: readonly number[] }];
    if (!(isNdarray(dval) || dval instanceof Tensor) || b.shape!.join() !== a.shape.join()) {
      throw new ShapeError(`${what}: the shadow must be an array of shape [${a.shape.join(", ")}], got ${describe(dval)}`);
    }
    checkOwnMemory(val, dval, what);
    return;
  }
  const shadowLeaves = new Map(leaves(dval).map((l) => [l.path, l.value] as const));
  for (const leaf of leaves(val)) {
    if (!isFloatArray(leaf.value)) continue;
    const s = shadowLeaves.get(leaf.path);
    if (!s || s.shape.join() !== leaf.value.shape.join() || s.data.constructor !== leaf.value.data.constructor) {
      throw new ShapeError(
        `${what}: the shadow at ${leaf.path} is ${s ? describe(s) : "missing"}, the value is ${describe(leaf.value)}; build the shadow with makeZero(x)`,
      );
    }
    if (s === leaf.value) throw new ShapeError(`${what}: the shadow at ${leaf.path} is the value's own array; the shadow needs memory of its own`);
  }
  checkOwnMemory(val, dval, what);
}

function checkOwnMemory(val: unknown, dval: unknown, what: string): void {
  const shared = sharedMemory(val, dval);
  if (shared !== undefined) {
    throw new ArgumentError(`${what}(x, dx): dx${shared.shadow} shares memory with x${shared.value}; the shadow needs memory of its own (build it with makeZero(x))`);
  }
}

function describe(x: unknown): string {
  if (isNdarray(x)) return `${x.data.constructor.name.replace("Array", "")}[${x.shape.join(", ")}]`;
  if (x instanceof Tensor) return `Tensor(${x.dtype}[${x.shape.join(", ")}])`;
  return x === null ? "null" : typeof x;
}


/** The type of `Const(x)`. */
export type Const<T = unknown> = ConstArg<T>;
/** The type of `Duplicated(x, dx)`. */
export type Duplicated<T = unknown> = DuplicatedArg<T>;
/** The type of `DuplicatedNoNeed(x, dx)`. */
export type DuplicatedNoNeed<T = unknown> = DuplicatedNoNeedArg<T>;
/** The type of `Active(x)`. */
export type Active = ActiveArg;

/** Marks an argument as not differentiated. */
export const Const = callable<typeof ConstArg, <T>(x: T) => ConstArg<T>>(ConstArg, "Const");
/** An argument with a shadow (made by makeZero when omitted) that accumulates its gradient. */
export const Duplicated = callable<typeof DuplicatedArg, <T>(x: T, dx?: T) => DuplicatedArg<T>>(DuplicatedArg, "Duplicated");
/** Like Duplicated, for arrays whose old contents are not needed: they are never kept for the reverse pass. */
export const DuplicatedNoNeed = callable<typeof DuplicatedNoNeedArg, <T>(x: T, dx: T) => DuplicatedNoNeedArg<T>>(DuplicatedNoNeedArg, "DuplicatedNoNeed");
/** A scalar argument whose derivative autodiff returns. */
export const Active = callable<typeof ActiveArg, (x: number | Tensor) => ActiveArg>(ActiveArg, "Active");
