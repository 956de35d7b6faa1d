/**
 * Enzyme's `autodiff(mode, f, returnActivity, args...)`. Reverse returns `[[d_arg...]]` with a number for
 * each Active argument and null otherwise (Duplicated shadows accumulate); ReverseWithPrimal returns
 * `[[...], primal]`. Forward returns `[tangent]` for a Duplicated return (`[]` for Const);
 * ForwardWithPrimal appends the primal. Plain arguments are Const.
 */
import { reverseWithShadows, forwardWithShadows } from "@tsflux/graph";
import { Active, ActiveArg, Const, Duplicated, DuplicatedNoNeed, DuplicatedArg } from "./activity";
import { shadowedArg, valueOf } from "./arguments";
import { activeTrace, inlineGradient } from "./inline";
import { pickLoss, plainValue } from "./loss";
import type { Mode } from "./modes";
import { ArgumentError, ActivityError } from "./errors";

/** What the function's result is: `Const`, `Active` (reverse mode), `Duplicated` or `DuplicatedNoNeed` (forward mode). */
export type ReturnActivity = typeof Const | typeof Active | typeof Duplicated | typeof DuplicatedNoNeed;

/**
 * `autodiff(mode, f, returnActivity, args...)`, or `autodiff(mode, f, args...)`: without a return
 * activity it is inferred as Enzyme's `guess_activity` does, from the traced result: Active for a
 * scalar in reverse mode, Duplicated in forward mode, Const when f returns nothing.
 */
export function autodiff(mode: Mode, f: (...args: never[]) => unknown, ...rest: unknown[]): unknown[] {
  const [returnActivity, ...args] = rest;
  if (!isReturnActivity(returnActivity)) return inferredAutodiff(mode, f, rest);
  return mode.reverse ? reverse(mode, f, returnActivity, args) : forward(mode, f, returnActivity, args);
}

function isReturnActivity(x: unknown): x is ReturnActivity {
  return x === Const || x === Active || x === Duplicated || x === DuplicatedNoNeed;
}

function inferredAutodiff(mode: Mode, f: (...args: never[]) => unknown, args: readonly unknown[]): unknown[] {
  if (!mode.reverse) {
    const out = forward(mode, f, Duplicated, args);
    // a function that returns nothing has a Const return: no tangent
    return out[0] === undefined ? out.slice(1) : out;
  }
  try {
    return reverse(mode, f, Active, args);
  } catch (error) {
    // the traced result is not a Tensor (f returns nothing): Enzyme's guess is Const; nothing has run yet
    if (error instanceof ActivityError && error.message.startsWith("an Active return needs")) return reverse(mode, f, Const, args);
    throw error;
  }
}

function reverse(mode: Mode, f: (...args: never[]) => unknown, ret: ReturnActivity, args: readonly unknown[]): unknown[] {
  if (ret === Duplicated || ret === DuplicatedNoNeed) throw new ArgumentError("autodiff: in reverse mode the return is Active (a scalar) or Const");
  const trace = activeTrace(args.map(valueOf));
  if (trace) {
    if (args.some((a) => a instanceof DuplicatedArg)) {
      throw new ArgumentError("autodiff inside a traced function: use Active arguments (or Enzyme.gradient); shadows cannot accumulate symbolically");
    }
    const r = inlineGradient(trace, f, args.map(valueOf), args.map((a) => a instanceof ActiveArg), (x) => pickLoss("autodiff", x));
    return mode.withPrimal ? [r.grads, r.loss] : [r.grads];
  }
  const { activeGrads, value, result } = reverseWithShadows(f, args.map(shadowedArg), { activeReturn: ret === Active, withResult: mode.withPrimal && ret !== Active });
  if (!mode.withPrimal) return [activeGrads];
  return [activeGrads, ret === Active ? value : plainValue(result)];
}

function forward(mode: Mode, f: (...args: never[]) => unknown, ret: ReturnActivity, args: readonly unknown[]): unknown[] {
  if (ret === Active) throw new ArgumentError("autodiff: Active returns are for reverse mode; in forward mode use Duplicated or Const");
  if (args.some((a) => a instanceof ActiveArg)) throw new ArgumentError("autodiff: Active arguments are for reverse mode; in forward mode use Duplicated(x, dx)");
  const { result, tangent } = forwardWithShadows(f, args.map(shadowedArg));
  const out: unknown[] = ret === Const ? [] : [plainValue(tangent)];
  if (mode.withPrimal) out.push(plainValue(result));
  return out;
}
