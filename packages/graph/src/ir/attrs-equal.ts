/** Structural equality of node attributes and value types, as a cached trace is recognised by. */
import type { Shape } from "../shape";
import type { DType } from "../dtype";

/** Whether `a` has this shape and dtype. */
export function sameType(a: { readonly shape: Shape; readonly dtype: DType }, shape: Shape, dtype: DType): boolean {
  if (a.dtype !== dtype || a.shape.length !== shape.length) return false;
  for (let i = 0; i < shape.length; i++) if (a.shape[i] !== shape[i]) return false;
  return true;
}

/** Deep equality of attribute values (numbers by value, -0 apart from 0, NaN equal to NaN). */
export function sameAttr(a: unknown, b: unknown): boolean {
  if (a === b) return typeof a !== "number" || a !== 0 || 1 / a === 1 / (b as number);
  if (typeof a === "number" && typeof b === "number") return Number.isNaN(a) && Number.isNaN(b);
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameAttr(a[i], b[i])) return false;
    return true;
  }
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") return false;
  const ka = Object.keys(a), kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) if (!sameAttr((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])) return false;
  return true;
}

/** Whether `attrs` without its key `skip` equals `kept` (which was stored without it). */
export function sameAttrsExcept(kept: Readonly<Record<string, unknown>>, attrs: Readonly<Record<string, unknown>>, skip: string | undefined): boolean {
  let count = 0, keptCount = 0;
  for (const k in attrs) {
    if (k === skip) continue;
    if (!sameAttr(kept[k], attrs[k])) return false;
    count++;
  }
  for (const _ in kept) keptCount++;
  return count === keptCount;
}
