/**
 * A compiled forward for inference: `const f = compiled(model); f(x)` (or `compiled(fn)` for any function
 * of tensors). Each call traces the function as it is now, as `gradient` does, finds the compiled plan by
 * the trace's structure (a new batch size or a changed field compiles once more), binds the arrays and
 * runs it. The result has the function's structure with fresh concrete tensors; nothing else allocates.
 */
import { Tensor } from "../tensor";
import type { TracedCall } from "../trace";
import { programFor, traceArrays, bindTraceArrays, traceForProgram } from "./program";
import { resultTensors } from "../trace";
import { concreteResult } from "../autodiff/shadow-common";
import { GraphError } from "../errors";
import type { NdArray } from "../ndarray-util";

/** Anything with a `forward` method, such as a layer or a Chain. */
export interface Forward {
  forward(...args: never[]): unknown;
}

/** What a compiled function returns: symbolic tensors become concrete ones, the structure is kept. */
export type Concrete<R> = R extends Tensor ? Tensor : R extends readonly unknown[] ? { [K in keyof R]: Concrete<R[K]> } : R;

type Callable = (...args: never[]) => unknown;
/** What a compiled function takes: where `f` takes a Tensor, an ndarray will do. */
type Inputs<A> = { [K in keyof A]: A[K] extends Tensor ? Tensor | NdArray : A[K] };
type ArgsOf<F> = F extends { forward(...args: infer A): unknown } ? A : F extends (...args: infer A) => unknown ? A : never;
type ResultOf<F> = F extends { forward(...args: never[]): infer R } ? R : F extends (...args: never[]) => infer R ? R : never;

/** A compiled version of `f` (a function of tensors, or a model, meaning `model.forward`). */
export function compiled<F extends Callable | Forward>(f: F): (...args: Inputs<ArgsOf<F>>) => Concrete<ResultOf<F>> {
  const isModel = typeof f === "object" && f !== null && typeof (f as Forward).forward === "function";
  if (!isModel && typeof f !== "function") throw new GraphError(`compiled: expected a function or a model with a forward method, got ${typeof f}`);
  const body = isModel ? (m: Forward, ...xs: unknown[]) => (m.forward as (...a: unknown[]) => unknown)(...xs) : (f as (...a: unknown[]) => unknown);
  return ((...args: unknown[]) => {
    const callArgs = isModel ? [f, ...args] : args;
    return runForward(traceForProgram(body as Callable, callArgs, "compiled"));
  }) as (...args: Inputs<ArgsOf<F>>) => Concrete<ResultOf<F>>;
}

function runForward(call: TracedCall): unknown {
  const arrays = traceArrays(call);
  const program = programFor(call, "compiled", () => ({ outputs: resultTensors(call.result).map((t) => t.value), meta: call.result }));
  const plan = program.plan;
  try {
    bindTraceArrays(program, arrays);
    plan.execute();
    return concreteResult(program.meta, plan);
  } finally {
    plan.release();
  }
}
