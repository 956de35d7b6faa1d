/**
 * Derivative checks in the manner of PyTorch's gradcheck: analytic reverse- and forward-mode
 * derivatives against central finite differences in float64, the dot-product test between the two
 * modes, second order, reentrancy and zero-cotangent checks, and float32 results against float64.
 */
import { Tensor } from "../tensor";
import { vjp, jvp } from "../autodiff/functional";
import { sum } from "../api/reduce";
import { mul, add } from "../api/elementwise";
import { astype } from "../api/creation";
import { toFlatArray, wrapColMajor, type NdArray } from "../ndarray-util";
import { numel } from "../shape";
import { dtypeOfArray } from "../dtype";
import { expectClose, findMismatch } from "./close";
import { mulberry32, randomArray, seedFrom, type Rng } from "./random";

/** A function of tensors to a tensor, as `gradcheck` takes it. */
export type TensorFn = (...xs: Tensor[]) => Tensor;

/** Options of `gradcheck`: the finite-difference step, the tolerances, which arguments, the seed and a name for messages. */
export interface GradcheckOptions {
  eps?: number;
  atol?: number;
  rtol?: number;
  /** Names what is checked, for messages. */
  what?: string;
  /** Which inputs to differentiate (default: every input). */
  wrt?: readonly boolean[];
  /** Seed for random directions (default: derived from `what`). */
  seed?: number;
}

const DEFAULTS = { eps: 1e-6, atol: 1e-5, rtol: 1e-3 };

function evalFlat(f: TensorFn, xs: readonly NdArray[]): number[] {
  const y = f(...xs.map((x) => Tensor.concrete(x)));
  return toFlatArray(y.toNdarray());
}

function requireF64(xs: readonly NdArray[], what: string): void {
  xs.forEach((x, i) => {
    if (dtypeOfArray(x.data) === "f32") throw new Error(`gradcheck(${what}): input ${i + 1} must be Float64 (finite differences in Float32 are too noisy)`);
  });
}

/** Columns of the Jacobian of f with respect to input k, by central differences: J[j] = ∂y/∂x_j. */
export function numericalJacobian(f: TensorFn, xs: readonly NdArray[], k: number, eps = DEFAULTS.eps): number[][] {
  const x = xs[k]!, data = x.data as Float64Array, columns: number[][] = [];
  for (let j = 0; j < numel(x.shape); j++) {
    const at = x.offset + j, saved = data[at]!;
    data[at] = saved + eps;
    const plus = evalFlat(f, xs);
    data[at] = saved - eps;
    const minus = evalFlat(f, xs);
    data[at] = saved;
    columns.push(plus.map((p, i) => (p - minus[i]!) / (2 * eps)));
  }
  return columns;
}

function basis(shape: readonly number[], i: number): NdArray {
  const d = new Float64Array(numel(shape));
  d[i] = 1;
  return wrapColMajor(d, shape);
}

/** Unit vectors when there are few, else `count` random directions. */
function directions(rng: Rng, shape: readonly number[], limit: number, count = 4): NdArray[] {
  const n = numel(shape);
  if (n <= limit) return Array.from({ length: n }, (_, i) => basis(shape, i));
  return Array.from({ length: count }, () => randomArray(rng, shape, "f64", "unit"));
}

const dot = (a: readonly number[], b: readonly number[]) => a.reduce((s, v, i) => s + v * b[i]!, 0);

/**
 * Checks reverse and forward mode of `f` at `xs` (Float64 arrays) against finite differences; also that
 * backward is bit-reproducible, that a zero cotangent gives exact zeros, and that gradients have
 * their inputs' shapes. Throws with the op, input, index and both values on failure.
 */
export function gradcheck(f: TensorFn, xs: readonly NdArray[], opts: GradcheckOptions = {}): void {
  const { eps, atol, rtol } = { ...DEFAULTS, ...opts };
  const what = opts.what ?? (f.name || "function");
  requireF64(xs, what);
  const rng = mulberry32(opts.seed ?? seedFrom(what));
  const yShape = f(...xs.map((x) => Tensor.concrete(x))).shape;
  const active = xs.map((_, k) => opts.wrt?.[k] ?? true);
  const jac = xs.map((_, k) => (active[k] ? numericalJacobian(f, xs, k, eps) : []));

  for (const u of directions(rng, yShape, 32)) {
    const uf = toFlatArray(u);
    const { grads } = vjp(f, xs, u);
    const again = vjp(f, xs, u).grads;
    grads.forEach((g, k) => {
      if (!active[k]) return;
      expectClose(g.shape, xs[k]!.shape, { what: `${what}: shape of the gradient of input ${k + 1}` });
      const expected = jac[k]!.map((col) => dot(uf, col));
      expectClose(g, expected, { atol, rtol, what: `${what}: reverse mode, input ${k + 1}, cotangent [${uf.map((v) => +v.toFixed(3)).join(",")}]` });
      const diff = findMismatch(again[k]!, g, { atol: 0, rtol: 0, what: `${what}: backward run twice, input ${k + 1}` });
      if (diff) throw new Error(diff);
    });
  }
  const zero = wrapColMajor(new Float64Array(numel(yShape)), yShape);
  vjp(f, xs, zero).grads.forEach((g, k) => {
    if (active[k]) expectClose(g, new Array(numel(xs[k]!.shape)).fill(0), { atol: 0, rtol: 0, what: `${what}: zero cotangent, input ${k + 1}` });
  });

  xs.forEach((x, k) => {
    if (!active[k]) return;
    for (const v of directions(rng, x.shape, 64)) {
      const tangents = xs.map((xi, i) => (i === k ? v : wrapColMajor(new Float64Array(numel(xi.shape)), xi.shape)));
      const { tangent } = jvp(f, xs, tangents);
      const vf = toFlatArray(v);
      const expected = toFlatArray(zero).map((_, i) => jac[k]!.reduce((s, col, j) => s + col[i]! * vf[j]!, 0));
      expectClose(tangent, expected, { atol, rtol, what: `${what}: forward mode, input ${k + 1}` });
    }
  });
}

/** <J v, u> = <v, Jᵀ u> for random u, v: forward and reverse mode agree, with no finite-difference noise. */
export function dotProductTest(f: TensorFn, xs: readonly NdArray[], opts: { rtol?: number; seed?: number; what?: string; wrt?: readonly boolean[] } = {}): void {
  const what = opts.what ?? (f.name || "function");
  const rng = mulberry32(opts.seed ?? seedFrom(`dot:${what}`));
  const y = f(...xs.map((x) => Tensor.concrete(x)));
  const u = randomArray(rng, y.shape, "f64", "unit");
  const vs = xs.map((x, k) => (opts.wrt?.[k] ?? true ? randomArray(rng, x.shape, "f64", "unit") : wrapColMajor(new Float64Array(numel(x.shape)), x.shape)));
  const jv = toFlatArray(jvp(f, xs, vs).tangent.toNdarray());
  const jtu = vjp(f, xs, u).grads.map((g) => toFlatArray(g.toNdarray()));
  const lhs = dot(jv, toFlatArray(u));
  const rhs = vs.reduce((s, v, k) => s + ((opts.wrt?.[k] ?? true) ? dot(toFlatArray(v), jtu[k]!) : 0), 0);
  expectClose(lhs, rhs, { rtol: opts.rtol ?? 1e-10, atol: 1e-12, what: `${what}: <J v, u> vs <v, Jᵀ u>` });
}

/**
 * Second order: the map (xs, u) -> Σ_k <w_k, vjp(f, xs, u)_k> (random fixed w) is itself checked by
 * gradcheck, so the derivative rules' own derivatives are compared with finite differences.
 */
export function gradgradcheck(f: TensorFn, xs: readonly NdArray[], opts: GradcheckOptions = {}): void {
  const what = `grad of grad of ${opts.what ?? (f.name || "function")}`;
  const rng = mulberry32(opts.seed ?? seedFrom(what));
  const y = f(...xs.map((x) => Tensor.concrete(x)));
  const u = randomArray(rng, y.shape, "f64", "unit");
  const active = xs.map((_, k) => opts.wrt?.[k] ?? true);
  const ws = xs.map((x) => randomArray(rng, x.shape, "f64", "unit"));
  const n = xs.length;
  const projected = (...args: Tensor[]): Tensor => {
    const { grads } = vjp(f, args.slice(0, n), args[n]!);
    return grads.reduce<Tensor>((acc, g, k) => (active[k] ? add(acc, sum(mul(g, ws[k]!))) : acc), astype(0, "f64"));
  };
  gradcheck(projected, [...xs, u], { ...opts, what, wrt: [...active, true] });
}

/** f in Float32 against f in Float64 on the same inputs (rounded to Float32 first): values and gradients. */
export function compareFloat32(f: TensorFn, xs64: readonly NdArray[], opts: { rtol?: number; atol?: number; what?: string; wrt?: readonly boolean[]; gradients?: boolean } = {}): void {
  const what = opts.what ?? (f.name || "function");
  const tol = { rtol: opts.rtol ?? 1e-4, atol: opts.atol ?? 1e-4 };
  const xs32 = xs64.map((x) => (dtypeOfArray(x.data) === "f64" ? wrapColMajor(Float32Array.from(toFlatArray(x)), x.shape) : x));
  const xsRounded = xs32.map((x, k) => (x === xs64[k] ? x : wrapColMajor(Float64Array.from(toFlatArray(x)), x.shape)));
  const y32 = f(...xs32.map((x) => Tensor.concrete(x)));
  const y64 = f(...xsRounded.map((x) => Tensor.concrete(x)));
  expectClose(y32, y64, { ...tol, what: `${what}: Float32 value vs Float64` });
  if (opts.gradients === false) return;
  const u32 = randomArray(mulberry32(seedFrom(`f32:${what}`)), y32.shape, "f32", "unit");
  const u64 = wrapColMajor(Float64Array.from(toFlatArray(u32)), y32.shape);
  const g32 = vjp(f, xs32, u32).grads, g64 = vjp(f, xsRounded, u64).grads;
  g32.forEach((g, k) => {
    if (opts.wrt?.[k] ?? true) expectClose(g, g64[k]!, { ...tol, what: `${what}: Float32 gradient of input ${k + 1} vs Float64` });
  });
}
