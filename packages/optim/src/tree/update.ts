/**
 * update: one optimiser step for a whole model, in place. Three passes over the cached plan:
 *   1. check state, model and gradients against each other (nothing is changed yet);
 *   2. run the checks of rules that may throw (ClipNorm), on the gradients they will see;
 *   3. apply each Leaf's rule in one fused loop over its parameter, gradient and state.
 * Once warm it allocates nothing: no typed arrays, closures or temporary JS arrays.
 */
import { juliaName, stridedCopy, type FloatArray } from "@tsflux/graph";
import { NonFiniteGradientError, OptimiserError } from "../errors";
import { inKernelOrder } from "../layout";
import { isDuplicated } from "./duplicated";
import { buildPlan, collect, type Entry, type Plan } from "./plan";

const plans = new WeakMap<object, Plan>();
const NO_SCRATCH = new Float64Array(0);

function planFor(state: object): Plan {
  let p = plans.get(state);
  if (p === undefined) {
    p = buildPlan(state);
    plans.set(state, p);
  }
  return p;
}

function release(p: Plan): void {
  for (let i = 0; i < p.entries.length; i++) {
    const e = p.entries[i]!;
    e.x = null;
    for (let j = 0; j < e.count; j++) e.grads[j] = null;
    e.count = 0;
  }
  p.stale = false;
  p.pruneRepeats = false;
}

/** Points p.gArr/p.gOff at the Leaf's gradient in kernel order: in place, gathered, or summed over ties. */
function prepareGradient(p: Plan, e: Entry, n: number): void {
  const meta = e.meta!;
  const g0 = e.grads[0]!;
  if (e.count === 1 && inKernelOrder(meta.shape, g0.stride, meta.order)) {
    p.gArr = g0.data as FloatArray;
    p.gOff = g0.offset;
    return;
  }
  const buf = p.buffer("g", n, meta.dtype === "f32");
  for (let j = 0; j < e.count; j++) {
    const g = e.grads[j]!;
    // Tied parameters: the gradient is the sum over every place the array is used.
    stridedCopy(meta.shape, g.data as FloatArray, g.offset, g.stride, buf, 0, meta.order, j > 0);
  }
  p.gArr = buf;
  p.gOff = 0;
}

/** Points p.xArr/p.xOff at the parameter in kernel order; returns true when it was gathered into xbuf. */
function prepareParameter(p: Plan, e: Entry, n: number): boolean {
  const meta = e.meta!, x = e.x!;
  if (inKernelOrder(meta.shape, x.stride, meta.order)) {
    p.xArr = x.data as FloatArray;
    p.xOff = x.offset;
    return false;
  }
  const buf = p.buffer("x", n, meta.dtype === "f32");
  stridedCopy(meta.shape, x.data as FloatArray, x.offset, x.stride, buf, 0, meta.order, false);
  p.xArr = buf;
  p.xOff = 0;
  return true;
}

function located(err: unknown, e: Entry): unknown {
  if (!(err instanceof NonFiniteGradientError)) return err;
  const meta = e.meta!;
  return new NonFiniteGradientError(`update: at ${e.path} (${juliaName(meta.dtype)} array [${meta.shape.join(", ")}]): ${err.message}`);
}

function active(e: Entry): boolean {
  return e.count > 0 && !e.leaf.frozen && e.n > 0;
}

function scratchFor(p: Plan, e: Entry, n: number): FloatArray {
  const r = e.leaf.rule;
  return r.needsScratch || r.mayThrow ? p.buffer("s", n, e.meta!.dtype === "f32") : NO_SCRATCH;
}

function checkRules(p: Plan): void {
  for (let i = 0; i < p.entries.length; i++) {
    const e = p.entries[i]!;
    if (!active(e) || !e.leaf.rule.mayThrow) continue;
    const n = e.n;
    prepareGradient(p, e, n);
    prepareParameter(p, e, n);
    try {
      p.step.reset(p.xArr, p.xOff, p.gArr, p.gOff, n, e.meta!.dtype === "f32", scratchFor(p, e, n));
      e.leaf.rule.check(e.leaf.state, p.step);
    } catch (err) {
      throw located(err, e);
    }
  }
}

function applyRules(p: Plan): void {
  for (let i = 0; i < p.entries.length; i++) {
    const e = p.entries[i]!;
    if (!active(e)) continue;
    const n = e.n, meta = e.meta!;
    prepareGradient(p, e, n);
    const gathered = prepareParameter(p, e, n);
    try {
      p.step.reset(p.xArr, p.xOff, p.gArr, p.gOff, n, meta.dtype === "f32", scratchFor(p, e, n));
      e.leaf.rule.apply(e.leaf.state, p.step);
    } catch (err) {
      throw located(err, e);
    }
    if (gathered) {
      const x = e.x!;
      stridedCopy(meta.shape, p.xArr, 0, meta.order, x.data as FloatArray, x.offset, x.stride, false);
    }
  }
}

/**
 * One optimisation step: mutates every trainable array of `model` in place, and the state tree with it
 * (Optimisers.jl's `update!`). `grads` is the tree `gradient` returns, or any tree of the model's shape with
 * arrays for parameters; `null` anywhere means "no gradient" and skips that branch. With a Duplicated model
 * and no `grads`, its `dval` is the gradient (a shadow array met again at a tied use counts once, as
 * Optimisers.jl prunes repeats there). Frozen Leaves are skipped; tied arrays get the sum of their
 * gradients and one step.
 *
 * Everything is validated before anything changes: a gradient tree of another structure or shape, or a
 * state tree set up for another model, raises TreeMismatchError / ShapeError / DTypeError naming the path
 * (e.g. `.layers[1].bias`) and leaves model and state untouched; so does a non-finite norm in ClipNorm,
 * unless a stateful rule precedes ClipNorm in an OptimiserChain (then it is found mid-update). NaN
 * gradients propagate into their own parameter only, as in Optimisers.jl.
 * @example
 * const state = setup(Adam(), model);
 * update(state, model, gradient(loss, dup, Const(x), Const(y))[0]);
 * update(state, dup);   // uses dup.dval
 */
export function update(state: object, model: unknown, grads?: unknown): void {
  let m = model, g = grads, fromShadow = false;
  if (isDuplicated(model)) {
    m = model.val;
    if (g === undefined) {
      g = model.dval;
      fromShadow = true;
    }
  } else if (g === undefined) {
    throw new OptimiserError("update(state, model, grads): no gradient given; pass the gradient tree, or a Duplicated model whose dval holds it");
  }
  if (typeof state !== "object" || state === null) {
    throw new OptimiserError(`update: the first argument must be the state tree from setup, got ${String(state)}`);
  }
  let p = planFor(state);
  try {
    p.pruneRepeats = fromShadow;
    collect(p, state, m, g, 0);
    if (p.stale) {
      release(p);
      p = buildPlan(state);
      plans.set(state, p);
      p.pruneRepeats = fromShadow;
      collect(p, state, m, g, 0);
    }
    checkRules(p);
    applyRules(p);
  } finally {
    release(p);
  }
}
