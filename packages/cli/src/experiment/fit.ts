/**
 * The training loop: Flux's `train!` step (withgradient into the Duplicated model's shadow, then
 * `update`) over shuffled mini-batches, recording the loss of every step and, per epoch, the training
 * loss and accuracy and the test loss and accuracy. The loss is traced and compiled once per batch
 * shape; every later step only runs the compiled plan.
 */
import type { NdArray, Tensor } from "@tsflux/graph";
import { DataLoader, testmode, trainmode, type Layer } from "@tsflux/layers";
import { setup, update, type Optimiser } from "@tsflux/optim";
import { DomainError, Duplicated, withgradient } from "@tsflux/enzyme-compat";
import { countCorrect, evaluate, isClassification } from "./metrics";
import type { ExperimentData, LossFunction } from "./types";

/** One training step: its position in epochs (2.5 is halfway through the third epoch) and its loss. */
export interface StepRecord {
  readonly epoch: number;
  readonly loss: number;
}

/** One epoch: mean training loss and accuracy over its steps, then loss and accuracy on the test split. */
export interface EpochRecord {
  /** 1-based. */
  readonly epoch: number;
  readonly loss: number;
  readonly accuracy?: number;
  readonly testLoss?: number;
  readonly testAccuracy?: number;
  /** Wall-clock seconds of the epoch's training steps. */
  readonly seconds: number;
}

/** What `fit` records: the loss of every step and the summary of every epoch. */
export interface History {
  readonly steps: StepRecord[];
  readonly epochs: EpochRecord[];
}

/** Running figures of the current epoch, reported after every step. */
export interface StepReport {
  readonly step: number;
  readonly loss: number;
  readonly accuracy?: number;
}

/** How `fit` trains: epochs, batch size, and callbacks at epoch and step boundaries. */
export interface FitOptions {
  readonly epochs: number;
  readonly batchsize: number;
  onEpochStart?(epoch: number, steps: number): void;
  onStep?(report: StepReport): void;
  onEpochEnd?(record: EpochRecord): void;
}

/** Trains `model` in place on `data.train` and returns the history; the model is left in automatic (test) mode. */
export function fit(model: Layer, data: ExperimentData, loss: LossFunction, optimiser: Optimiser, opts: FitOptions): History {
  const classes = isClassification(data.train.y);
  const objective = (m: Layer, x: Tensor, y: Tensor) => {
    const yhat = m.forward(x);
    return [loss(yhat, y), yhat] as const; // the output rides along as auxiliary output, for accuracy
  };
  const dup = Duplicated(model);
  const state = setup(optimiser, model);
  const loader = DataLoader([data.train.x, data.train.y], { batchsize: opts.batchsize, shuffle: true });
  const history: History = { steps: [], epochs: [] };
  for (let epoch = 1; epoch <= opts.epochs; epoch++) {
    opts.onEpochStart?.(epoch, loader.length);
    trainmode(model);
    const started = performance.now();
    let step = 0, lossSum = 0, correct = 0, seen = 0;
    for (const [x, y] of loader) {
      const { val } = withgradient(objective, dup, x, y);
      const [l, yhat] = val as [number, NdArray];
      if (!Number.isFinite(l)) throw new DomainError(`Loss is ${l} at step ${step + 1} of epoch ${epoch}, stopping training`);
      update(state, dup);
      step++;
      lossSum += l;
      seen += y.shape[y.shape.length - 1]!;
      if (classes) correct += countCorrect(yhat, y);
      history.steps.push({ epoch: epoch - 1 + step / loader.length, loss: l });
      opts.onStep?.({ step, loss: lossSum / step, ...(classes ? { accuracy: correct / seen } : {}) });
    }
    const seconds = (performance.now() - started) / 1000;
    testmode(model, "auto");
    const test = data.test ? evaluate(model, data.test, loss) : undefined;
    const record: EpochRecord = {
      epoch,
      loss: lossSum / step,
      ...(classes ? { accuracy: correct / seen } : {}),
      ...(test ? { testLoss: test.loss, ...(test.accuracy !== undefined ? { testAccuracy: test.accuracy } : {}) } : {}),
      seconds,
    };
    history.epochs.push(record);
    opts.onEpochEnd?.(record);
  }
  return history;
}
