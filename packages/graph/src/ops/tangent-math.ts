/** Arithmetic on tangents and cotangents where null is an exact zero (no node is emitted for it). */
import type { Tensor } from "../tensor";
import { add, sub, neg } from "../api/elementwise";
import { zerosLike } from "../api/creation";

export function addT(a: Tensor | null, b: Tensor | null): Tensor | null {
  if (a === null) return b;
  if (b === null) return a;
  return add(a, b);
}

export function subT(a: Tensor | null, b: Tensor | null): Tensor | null {
  if (b === null) return a;
  if (a === null) return neg(b);
  return sub(a, b);
}

/** `f(t)` when t is a tangent, null (zero) when it is null. */
export function mapT(t: Tensor | null, f: (t: Tensor) => Tensor): Tensor | null {
  return t === null ? null : f(t);
}

/** A tangent made explicit: zeros shaped like `like` in place of null. */
export function orZeros(t: Tensor | null, like: Tensor): Tensor {
  return t ?? zerosLike(like);
}
