/**
 * Flux's `gradient` and `withgradient` with Enzyme (the seed-era semantics): plain arguments are Const,
 * at least one Duplicated is required, Active is refused. The gradient is accumulated in each
 * Duplicated shadow (zeroed first unless `{ zero: false }`), and what is returned is a tree of views of
 * the shadow's arrays, null for non-numeric fields and for Const arguments.
 */
import { reverseWithShadows, Tensor } from "@tsflux/graph";
import { ActiveArg, DuplicatedArg } from "./activity";
import { shadowedArg, valueOf } from "./arguments";
import { gradientTree } from "./gradient-tree";
import { pickLoss, plainValue } from "./loss";
import { activeTrace, inlineGradient } from "./inline";
import { ActivityError, ArgumentError } from "./errors";

/** Options of `gradient` and `withgradient`. */
export interface GradientOptions {
  /** Zero the shadows before accumulating (default true); false adds to what they hold. */
  zero?: boolean;
}

/** The trailing `{ zero }` options object, if the last argument is one. */
function splitOptions(args: readonly unknown[]): [unknown[], GradientOptions] {
  const last = args[args.length - 1];
  const isOptions = last !== null && typeof last === "object" && Object.getPrototypeOf(last) === Object.prototype
    && Object.keys(last).length > 0 && Object.keys(last).every((k) => k === "zero");
  return isOptions ? [args.slice(0, -1), last as GradientOptions] : [[...args], {}];
}

function checkActivities(name: string, args: readonly unknown[]): void {
  if (args.some((a) => a instanceof ActiveArg)) {
    throw new ArgumentError(`The method \`${name}(f, xs...)\` using Enzyme does not support \`Active\`, only \`Duplicated\` and \`Const\`.`);
  }
  if (!args.some((a) => a instanceof DuplicatedArg)) {
    throw new ActivityError(`The method \`${name}(f, xs...)\` using Enzyme requires at least one \`Duplicated\` argument, not just \`Const\`.`);
  }
}

function run(name: string, f: (...args: never[]) => unknown, rawArgs: readonly unknown[], withResult: boolean) {
  const [args, opts] = splitOptions(rawArgs);
  checkActivities(name, args);
  const trace = activeTrace(args.map(valueOf));
  if (trace) {
    const r = inlineGradient(trace, f, args.map(valueOf), args.map((a) => a instanceof DuplicatedArg), (x) => pickLoss(name, x));
    return { args, grads: r.grads.map((g) => (g === null ? null : gradientTree(g))), value: r.loss as unknown, result: r.result };
  }
  const zero = opts.zero !== false;
  const { value, result } = reverseWithShadows(f, args.map(shadowedArg), {
    activeReturn: true,
    loss: (r) => pickLoss(name, r),
    accumulate: !zero,
    withResult,
    // zero=true needs no zeroing pass: with accumulate false, every shadow is overwritten with its gradient
  });
  return { args, grads: args.map((a) => (a instanceof DuplicatedArg ? gradientTree(a.dval) : null)), value: value as unknown, result };
}

/**
 * The gradient of a scalar `f(args...)` with respect to each Duplicated argument, as trees of views of
 * its shadow; null for Const (and plain) arguments. `gradient(f, ...args, { zero: false })` accumulates.
 */
export function gradient(f: (...args: never[]) => unknown, ...args: unknown[]): unknown[] {
  return run("gradient", f, args, false).grads;
}

/** Like gradient, and also the value: `{ val, grad }`; `val` is the whole result when f returns aux outputs. */
export function withgradient(f: (...args: never[]) => unknown, ...args: unknown[]): { val: unknown; grad: unknown[] } {
  const r = run("withgradient", f, args, true);
  const single = r.result === undefined || r.result instanceof Tensor;
  const symbolic = r.value instanceof Tensor && r.value.isSymbolic;
  if (symbolic) return { val: single ? r.value : r.result, grad: r.grads }; // inside a traced function
  return { val: single ? (typeof r.value === "number" ? r.value : plainValue(r.value)) : plainValue(r.result), grad: r.grads };
}

