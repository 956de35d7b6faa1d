/** The one-line form of any value (Flux's two-argument `show`), used inside layer lines and nested printing. */
import { Tensor, isNdarray } from "@tsflux/graph";
import { hasShowCompact, showCompact } from "./protocol";
import { functionName } from "./names";
import { arraySummary, juliaNumber } from "./format";
import { isPlainObject, isTreeNode } from "../tree";

/** The name of a value's class: `Chain`, `Dense`, or the user's class name. */
export function typeName(x: unknown): string {
  if (!isTreeNode(x)) return typeof x;
  return (Object.getPrototypeOf(x)?.constructor?.name as string | undefined) || "Object";
}

/** `a = 1, b = Dense(2 => 3)` for named entries (Julia's NamedTuple body). */
export function namedList(entries: readonly (readonly [string | number, unknown])[]): string {
  return entries.map(([k, v]) => `${k} = ${compactString(v)}`).join(", ");
}

/** One line: layers via their own method, functions by name, arrays by size and type, objects field by field. */
export function compactString(x: unknown): string {
  if (hasShowCompact(x)) return x[showCompact]();
  if (typeof x === "function") return functionName(x);
  if (x === null || x === undefined) return "nothing";
  if (typeof x === "number") return juliaNumber(x);
  if (typeof x === "string") return JSON.stringify(x);
  if (typeof x !== "object") return String(x);
  if (isNdarray(x) || x instanceof Tensor) return arraySummary(x);
  if (Array.isArray(x)) return `[${x.map(compactString).join(", ")}]`;
  const entries = Object.entries(x);
  if (isPlainObject(x)) return entries.length === 0 ? "NamedTuple()" : `(${namedList(entries)}${entries.length === 1 ? "," : ""})`;
  return `${typeName(x)}(${entries.map(([, v]) => compactString(v)).join(", ")})`;
}
