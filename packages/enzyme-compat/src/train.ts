/**
 * Flux's `train!` with a Duplicated model (seed era): one pass over `data`. For each item: the gradient
 * into the shadow, a check that the loss and every gradient are finite (a DomainError before any
 * update otherwise, naming the data item and the first parameter whose gradient is not, and leaving
 * the model and the optimiser state as they were), then `update(state, dup)`. It mutates the model and
 * the state; the name drops Julia's `!`.
 */
import { update } from "@tsflux/optim";
import { allFinite, leaves } from "@tsflux/graph";
import { DuplicatedArg } from "./activity";
import { withgradient } from "./flux-gradient";
import { ArgumentError, DomainError } from "./errors";

/** What `train`'s `onStep` callback receives after each update. */
export interface TrainStep {
  /** 1-based index of the data item. */
  readonly step: number;
  readonly loss: number;
}

/** Options of `train`: a per-step callback and progress lines. */
export interface TrainOptions {
  /** Called after each update. */
  onStep?: (info: TrainStep) => void;
  /** Print a one-line progress report every `every` steps (default: off). */
  progress?: boolean | { every: number };
}

/** What `train` returns: the number of steps and their mean loss. */
export interface TrainSummary {
  readonly steps: number;
  readonly meanLoss: number;
}

/** Flux's `train!`: for each item of `data`, the gradient of `loss(model, ...item)` into the shadow, then an optimiser update of `state`. */
export function train(loss: (model: never, ...data: never[]) => unknown, dup: DuplicatedArg, data: Iterable<unknown>, state: object, opts: TrainOptions = {}): TrainSummary {
  if (!(dup instanceof DuplicatedArg)) throw new ArgumentError("train: the model must be Duplicated(model) (it holds the gradient)");
  if ("cb" in opts) throw new ArgumentError("train does not support callback functions. For more control use a loop with `gradient` and `update`.");
  const every = opts.progress === true ? 100 : typeof opts.progress === "object" ? opts.progress.every : 0;
  const expected = loss.length - 1;
  let step = 0, total = 0;
  for (const item of data) {
    step++;
    const d = Array.isArray(item) ? item : [item];
    if (expected >= 0 && loss.length > 0 && d.length !== expected) {
      throw new ArgumentError(`train: data item ${step} has ${d.length} value${d.length === 1 ? "" : "s"}, but the loss takes ${expected} after the model`);
    }
    const { val } = withgradient(loss, dup, ...d);
    const l = typeof val === "number" ? val : Number((val as unknown[])[0]);
    if (!Number.isFinite(l)) throw new DomainError(`Loss is ${l} on data item ${step}, stopping training`);
    const bad = firstNonFinite(dup.dval);
    if (bad !== undefined) throw new DomainError(`The gradient of model${bad} is not finite on data item ${step} (the loss is ${l}), stopping training`);
    update(state, dup);
    total += l;
    opts.onStep?.({ step, loss: l });
    if (every > 0 && step % every === 0) process.stdout.write(`step ${step}  loss ${l.toPrecision(5)}\n`);
  }
  return { steps: step, meanLoss: step > 0 ? total / step : NaN };
}

/** The path of the first shadow array holding a NaN or an infinity, if any. */
function firstNonFinite(shadow: unknown): string | undefined {
  for (const leaf of leaves(shadow, { floatOnly: true })) if (!allFinite(leaf.value)) return leaf.path;
  return undefined;
}
