/**
 * Derivatives taken inside a function that is itself being traced (second order): instead of running a
 * compiled program, they add their forward and adjoint nodes to the graph being traced, so the outer
 * derivative differentiates through them. Model arguments are rebuilt around fresh values so that the
 * gradient is taken with respect to exactly what this call passes.
 */
import {
  Tensor, copy, currentTrace, emitVjp, whileDifferentiating, fmap, isFloatArray, isNdarray, onesLike, withTrace, zerosLike, type Trace, type Value,
} from "@tsflux/graph";

/** The open trace, or the trace a symbolic tensor among `values` belongs to. */
export function activeTrace(values: readonly unknown[]): Trace | undefined {
  const open = currentTrace();
  if (open) return open;
  for (const v of values) {
    if (v instanceof Tensor && v.trace) return v.trace;
  }
  return undefined;
}

export interface InlineResult {
  readonly result: unknown;
  readonly loss: Tensor;
  /** For each argument: the gradient in the argument's own form (a Tensor, or a same-type copy of a model), or null. */
  readonly grads: unknown[];
}

/** Key for an argument that is itself the differentiated value (a number, tensor or array). */
const WHOLE = Symbol("whole argument");
const isWhole = (x: unknown): boolean => typeof x === "number" || x instanceof Tensor || isNdarray(x);

/** One argument made fresh: differentiated leaves become copies whose values are the ones to differentiate. */
function freshArgument(x: unknown, active: boolean, wrt: Map<unknown, Tensor>): unknown {
  if (!active) return x;
  if (isWhole(x)) {
    const t = copy(x as Tensor);
    wrt.set(WHOLE, t);
    return t;
  }
  return fmap((leaf) => {
    if (!isFloatArray(leaf)) return leaf;
    const t = copy(leaf);
    wrt.set(leaf, t);
    return t;
  }, x);
}

/** Gradient of the scalar `pick(f(args...))` with respect to the active arguments, as graph nodes. */
export function inlineGradient(trace: Trace, f: (...args: never[]) => unknown, args: readonly unknown[], active: readonly boolean[], pick: (r: unknown) => Tensor): InlineResult {
  return withTrace(trace, () => {
    const from = trace.graph.nodes.length;
    const perArg = args.map(() => new Map<unknown, Tensor>());
    const fresh = args.map((a, i) => freshArgument(a, active[i]!, perArg[i]!));
    const wrtValues = perArg.flatMap((m) => [...m.values()].map((t) => t.value)); // before f may mutate them
    const result = whileDifferentiating(() => (f as (...a: unknown[]) => unknown)(...fresh));
    const loss = pick(result);
    const cotangents = emitVjp(trace, loss.value, wrtValues, onesLike(loss), from);
    const gradOf = new Map<Value, Tensor | null>(wrtValues.map((v, k) => [v, cotangents[k]!]));
    const grads = args.map((a, i) => {
      if (!active[i]) return null;
      const m = perArg[i]!;
      const grad = (leaf: unknown) => {
        const t = m.get(leaf)!;
        return gradOf.get(t.value) ?? zerosLike(t);
      };
      if (isWhole(a)) return grad(WHOLE);
      return fmap((leaf) => (m.has(leaf) ? grad(leaf) : leaf), a);
    });
    return { result, loss, grads };
  }, true);
}
