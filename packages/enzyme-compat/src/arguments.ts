/** Turning a call's arguments (activity wrappers or plain values) into the graph engine's ShadowedArg list. */
import type { ShadowedArg } from "@tsflux/graph";
import { ActiveArg, ConstArg, DuplicatedArg, DuplicatedNoNeedArg } from "./activity";

/** One argument's activity. `plain` says how an unannotated value is read (Flux: Const; Enzyme.gradient: active). */
export function shadowedArg(x: unknown): ShadowedArg {
  if (x instanceof DuplicatedNoNeedArg) return { value: x.val, activity: "duplicatedNoNeed", shadow: x.dval };
  if (x instanceof DuplicatedArg) return { value: x.val, activity: "duplicated", shadow: x.dval };
  if (x instanceof ActiveArg) return { value: x.val, activity: "active" };
  if (x instanceof ConstArg) return { value: x.val, activity: "const" };
  return { value: x, activity: "const" };
}

export const isAnnotation = (x: unknown): boolean => x instanceof DuplicatedArg || x instanceof ConstArg || x instanceof ActiveArg;

/** The plain value behind an annotation. */
export const valueOf = (x: unknown): unknown => (isAnnotation(x) ? (x as { val: unknown }).val : x);
