/**
 * Enzyme's own gradient helpers. `Enzyme.gradient(mode, f, args...)`: every argument not marked Const is
 * differentiated (arrays and models through a zeroed shadow, numbers as Active); the result has one
 * entry per argument: a same-type copy holding the gradient, a number, or null for Const.
 * `jacobian` and `hvp` take one array.
 */
import {
  reverseWithShadows, forwardWithShadows, vjp, jvp, hvp as graphHvp, Tensor, isNdarray, leaves, wrapColMajor, toFlatArray, zerosArray,
  type NdArray, type ShadowedArg, type TensorLike,
} from "@tsflux/graph";
import { ConstArg, ActiveArg, DuplicatedArg } from "./activity";
import { makeZero } from "./make-zero";
import { valueOf } from "./arguments";
import { activeTrace, inlineGradient } from "./inline";
import { pickLoss } from "./loss";
import type { Mode } from "./modes";
import { ArgumentError } from "./errors";

type Fn = (...args: never[]) => unknown;

/** Enzyme.gradient's reading of an argument: Const stays Const, numbers are Active, anything else is Duplicated with a zero shadow. */
function gradientArg(x: unknown): ShadowedArg {
  if (x instanceof ConstArg) return { value: x.val, activity: "const" };
  if (x instanceof ActiveArg) return { value: x.val, activity: "active" };
  if (x instanceof DuplicatedArg) return { value: x.val, activity: "duplicated", shadow: x.dval };
  if (typeof x === "number") return { value: x, activity: "active" };
  return { value: x, activity: "duplicated", shadow: makeZero(x) };
}

function entry(a: ShadowedArg, active: number | null): unknown {
  if (a.activity === "const") return null;
  if (a.activity === "active") return active;
  return a.shadow;
}

/** The gradient of a scalar function with respect to each non-Const argument (see the module comment). */
export function gradient(mode: Mode, f: Fn, ...args: unknown[]): unknown {
  const trace = activeTrace(args.map(valueOf));
  if (trace) {
    const { grads, loss } = inlineGradient(trace, f, args.map(valueOf), args.map((a) => !(a instanceof ConstArg)), (r) => pickLoss("Enzyme.gradient", r));
    return mode.withPrimal ? { derivs: grads, val: loss } : grads;
  }
  const shadowed = args.map(gradientArg);
  if (!mode.reverse) return forwardGradient(f, shadowed, mode);
  const { activeGrads, value } = reverseWithShadows(f, shadowed, { activeReturn: true, loss: (r) => pickLoss("Enzyme.gradient", r) });
  const derivs = shadowed.map((a, i) => entry(a, activeGrads[i]!));
  return mode.withPrimal ? { derivs, val: value } : derivs;
}

/** The float arrays of an argument or shadow: itself, a tensor's array, or a model's float leaves. */
function floatArrays(x: unknown): NdArray[] {
  if (isNdarray(x)) return [x];
  if (x instanceof Tensor) return [x.toNdarray()];
  return leaves(x, { floatOnly: true }).map((l) => l.value);
}

/** Forward mode: one pass per input element, seeding that element's tangent with 1. */
function forwardGradient(f: Fn, shadowed: readonly ShadowedArg[], mode: Mode): unknown {
  const passArgs: ShadowedArg[] = shadowed.map((a) => {
    if (a.activity === "const") return a;
    const value = a.activity === "active" ? wrapColMajor(Float64Array.of(a.value as number), []) : a.value;
    return { value, activity: "duplicated", shadow: makeZero(value) };
  });
  const results = passArgs.map((a) => (a.activity === "const" ? null : makeZero(a.value)));
  let primal: unknown = undefined;
  passArgs.forEach((a, i) => {
    if (a.activity === "const") return;
    const seeds = floatArrays(a.shadow), outs = floatArrays(results[i]);
    seeds.forEach((seed, k) => {
      for (let e = 0; e < seed.size; e++) {
        seed.data[seed.offset + e] = 1;
        const { result, tangent } = forwardWithShadows(f, passArgs);
        primal = result;
        outs[k]!.data[outs[k]!.offset + e] = scalarOf(pickLoss("Enzyme.gradient", tangent));
        seed.data[seed.offset + e] = 0;
      }
    });
  });
  const derivs = shadowed.map((a, i) => (a.activity === "const" ? null : a.activity === "active" ? floatArrays(results[i])[0]!.data[0]! : results[i]));
  if (!mode.withPrimal) return derivs;
  return { derivs, val: primal instanceof Tensor ? scalarOf(primal) : primal };
}

const scalarOf = (t: Tensor): number => toFlatArray(t.toNdarray())[0]!;

/** The Jacobian of an array function: shape [size(y)..., size(x)...], one pass per output (Reverse) or input (Forward). */
export function jacobian(mode: Mode, f: (x: Tensor) => Tensor, x: TensorLike): NdArray {
  const xa = x instanceof Tensor ? x.toNdarray() : x;
  if (typeof xa === "number" || !isNdarray(xa)) throw new ArgumentError("Enzyme.jacobian: x must be an array");
  const y = f(Tensor.concrete(xa));
  const m = y.shape.reduce((a, d) => a * d, 1), n = xa.size;
  const J = zerosArray([...y.shape, ...xa.shape], y.dtype);
  const basis = (shape: readonly number[], k: number) => {
    const b = zerosArray(shape, y.dtype);
    b.data[k] = 1;
    return b;
  };
  if (mode.reverse) {
    for (let i = 0; i < m; i++) {
      const row = toFlatArray(vjp(f, [xa], basis(y.shape, i)).grads[0]!.toNdarray());
      row.forEach((v, j) => (J.data[i + m * j] = v));
    }
  } else {
    for (let j = 0; j < n; j++) {
      const col = toFlatArray(jvp(f, [xa], [basis(xa.shape, j)]).tangent.toNdarray());
      col.forEach((v, i) => (J.data[i + m * j] = v));
    }
  }
  return J;
}

/** The Hessian of a scalar function times v (forward over reverse), shaped like x. */
export function hvp(f: (x: Tensor) => Tensor, x: TensorLike, v: TensorLike): NdArray | Tensor {
  const [hv] = graphHvp(f, [x], [v]);
  return hv!.isSymbolic ? hv! : hv!.toNdarray();
}
