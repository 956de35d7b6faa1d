/** Pieces shared by the reverse and forward passes over arguments with shadows. */
import { Tensor } from "../tensor";
import { GraphError, ShapeError } from "../errors";
import type { Plan } from "../exec/plan";
import type { Value } from "../ir/graph";
import { isNdarray } from "../ndarray-util";
import { leaves, type Leaf } from "../tree/tree";
import { arrayConstructor } from "../dtype";
import { dtypeOf, wrapColMajor, type NdArray } from "../ndarray-util";
import { numel, sameShape, shapeStr } from "../shape";
import { recordAllocation } from "../exec/allocations";

/** How an argument is differentiated: Enzyme's Const, Duplicated, DuplicatedNoNeed or Active. */
export type Activity = "const" | "duplicated" | "duplicatedNoNeed" | "active";

/** An argument of a differentiated call: its value, its activity and, when Duplicated, its shadow. */
export interface ShadowedArg {
  readonly value: unknown;
  readonly activity: Activity;
  /** For Duplicated: a tree like `value` whose float arrays are the shadows. */
  readonly shadow?: unknown;
}

export const isDuplicated = (a: Activity): boolean => a === "duplicated" || a === "duplicatedNoNeed";

/** The values and shadows to trace with: Active numbers become 0-d Float64 arrays. */
export function callArguments(args: readonly ShadowedArg[]): { values: unknown[]; shadows: unknown[] } {
  args.forEach((a, i) => {
    if (isDuplicated(a.activity) && a.shadow === undefined) throw new GraphError(`argument ${i + 1}: Duplicated needs a shadow`);
  });
  return {
    values: args.map((a) => (a.activity === "active" && typeof a.value === "number" ? wrapColMajor(Float64Array.of(a.value), []) : a.value)),
    shadows: args.map((a) => (isDuplicated(a.activity) ? a.shadow : null)),
  };
}

/** Finds the shadow array of argument `argIndex` at a leaf path (undefined when there is none). */
export type ShadowLookup = (argIndex: number, path: string) => NdArray | undefined;

/** Each shadow tree's leaves by path, from the last walk; an entry is trusted while its parent still holds it. */
const leafIndex = new WeakMap<object, Map<string, Leaf>>();

function indexLeaves(shadow: object): Map<string, Leaf> {
  const index = new Map(leaves(shadow).map((l) => [l.path, l] as const));
  leafIndex.set(shadow, index);
  return index;
}

/** A lookup over the shadows of one call; a shadow tree is walked again only when it changed. */
export function shadowArrays(shadows: readonly unknown[]): ShadowLookup {
  return (argIndex, path) => {
    const shadow = shadows[argIndex];
    if (path === "") return shadow instanceof Tensor && !shadow.isSymbolic ? shadow.toNdarray() : isNdarray(shadow) ? shadow : undefined;
    if (typeof shadow !== "object" || shadow === null) return undefined;
    const leaf = (leafIndex.get(shadow) ?? indexLeaves(shadow)).get(path);
    if (leaf && (leaf.parent as Record<string | number, unknown>)[leaf.key!] === leaf.value) return leaf.value;
    return indexLeaves(shadow).get(path)?.value;
  };
}

/** The shadow array for one leaf: same shape and dtype, and not the primal array itself (`primal`, or any array `primal` accepts). */
export function shadowLeaf(lookup: ShadowLookup, leaf: { argIndex: number; path: string; value: Value }, primal: NdArray | undefined | ((a: NdArray) => boolean)): NdArray {
  const s = lookup(leaf.argIndex, leaf.path);
  if (s === undefined) {
    throw new ShapeError(`argument ${leaf.argIndex + 1}: the shadow has no array at '${leaf.path || "(the argument)"}', where the value has ${leaf.value.dtype}[${leaf.value.shape.join(",")}]; build it with makeZero`);
  }
  if (!sameShape(s.shape, leaf.value.shape) || dtypeOf("shadow", s) !== leaf.value.dtype) {
    throw new ShapeError(`argument ${leaf.argIndex + 1}: the shadow at '${leaf.path || "(the argument)"}' is ${dtypeOf("shadow", s)}${shapeStr(s.shape)}, the value is ${leaf.value.dtype}${shapeStr(leaf.value.shape)}`);
  }
  if (typeof primal === "function" ? primal(s) : s === primal) throw new GraphError(`argument ${leaf.argIndex + 1}: the shadow at '${leaf.path || "(the argument)"}' is the value's own array; a shadow needs its own memory`);
  return s;
}

/** Rebuilds the function's result with concrete copies of its tensors. */
export function concreteResult(template: unknown, plan: Plan, first = 0): unknown {
  let k = first;
  const convert = (x: unknown): unknown => {
    if (x instanceof Tensor) {
      const v = plan.outputs[k++]!, s = plan.slot(v);
      const data = new (arrayConstructor(v.dtype))(numel(v.shape));
      recordAllocation(data.byteLength);
      data.set(s.data.subarray(s.offset, s.offset + data.length));
      return Tensor.concrete(wrapColMajor(data, v.shape));
    }
    if (Array.isArray(x)) return x.map(convert);
    if (x !== null && typeof x === "object" && Object.getPrototypeOf(x) === Object.prototype) {
      return Object.fromEntries(Object.entries(x).map(([key, v]) => [key, convert(v)]));
    }
    return x;
  };
  return convert(template);
}
