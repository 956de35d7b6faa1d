/** ClipNorm: rescales a gradient array whose p-norm exceeds ω down to ω. */
import type { FloatArray } from "@tsflux/graph";
import { NonFiniteGradientError } from "../errors";
import { juliaFloat } from "../show/julia";
import type { Step } from "../step";
import { defineRule } from "./def";
import { flag, nonneg, norm } from "./fields";

// Captured once: under some realms (Jest's vm contexts) a `Math.f` lookup in a hot loop is not folded,
// and each call then boxes its argument.
const { abs, fround, max, min, sqrt } = Math;
const finite = Number.isFinite;

/**
 * Where the norm functions leave their result: returning a double from a call that is not inlined would
 * box it, an allocation on every step.
 */
const NORM = new Float64Array(1);

/** NORM[0] = ‖g‖₂ without overflow: rescaled by max|gᵢ| when the plain sum of squares overflows. */
function norm2(g: FloatArray, go: number, n: number): void {
  let s = 0;
  for (let i = 0; i < n; i++) s += g[go + i]! * g[go + i]!;
  if (s !== Infinity) {
    NORM[0] = sqrt(s);
    return;
  }
  let m = 0;
  for (let i = 0; i < n; i++) m = max(m, abs(g[go + i]!));
  s = 0;
  if (m !== Infinity) for (let i = 0; i < n; i++) s += (g[go + i]! / m) ** 2;
  NORM[0] = m === Infinity ? Infinity : sqrt(s) * m;
}

/** NORM[0] = ‖g‖ₚ as LinearAlgebra's `norm(g, p)`: p = 2, 1, ±Inf, 0 (count of non-zeros) or any other p; NaN propagates. */
function pNorm(g: FloatArray, go: number, n: number, p: number): void {
  if (p === 2) {
    norm2(g, go, n);
    return;
  }
  let acc = p === -Infinity && n > 0 ? Infinity : 0;
  for (let i = 0; i < n; i++) {
    const a = abs(g[go + i]!);
    if (p === 1) acc += a;
    else if (p === Infinity) acc = acc !== acc || acc > a ? acc : a;  // acc !== acc: NaN stays
    else if (p === -Infinity) acc = acc !== acc || acc < a ? acc : a;
    else if (p === 0) acc += a === 0 ? 0 : 1;
    else acc += a ** p;
  }
  NORM[0] = p === 1 || p === 0 || p === Infinity || p === -Infinity || n === 0 ? acc : acc ** (1 / p);
}

/** NORM[0] = the norm, after raising Optimisers.jl's DomainError when it is not finite and `throw` is on. */
function measure(k: { readonly p: number; readonly throw: boolean }, s: Step): void {
  pNorm(s.g, s.go, s.n, k.p);
  if (k.throw && !finite(NORM[0]!)) {
    throw new NonFiniteGradientError(`ClipNorm: gradient has ${juliaFloat(k.p)}-norm ${juliaFloat(NORM[0]!)}`);
  }
}

/**
 * Scales each gradient array whose `p`-norm (2) exceeds `omega` (10) down to norm `omega`. A NaN or
 * infinite norm raises NonFiniteGradientError unless `throw` is false. Prints as Julia's default show
 * without type parameters: `ClipNorm(10.0, 2.0, true)`.
 * @example
 * String(ClipNorm(1, Infinity, { throw: false }))   // "ClipNorm(1.0, Inf, false)"
 */
export const ClipNorm = defineRule({
  kind: "ClipNorm",
  hyper: [nonneg("omega", 10), norm("p", 2), flag("throw", true)],
  coefficients: (h) => h,
  printPositional: true,
  mayThrow: (h) => h.throw,
  check: (k, _, s) => measure(k, s),
  step(k, _, s) {
    measure(k, s);
    const scale64 = min(k.omega / NORM[0]!, 1);  // λ = T(min(ω/‖g‖ₚ, 1))
    const scale = s.f32 ? fround(scale64) : scale64, { g, go } = s;
    for (let i = 0; i < s.n; i++) s.put(i, g[go + i]! * scale);  // dx′ = g·λ
  },
});

export type ClipNorm = ReturnType<typeof ClipNorm>;
