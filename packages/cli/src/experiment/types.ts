/** What a scripted experiment names: a model, its data, a loss, an optimiser, epochs and a seed. */
import type { NdArray, Tensor } from "@tsflux/graph";
import type { Layer } from "@tsflux/layers";
import type { Optimiser } from "@tsflux/optim";

/** Observations along the last dimension: inputs `x` [features..., n] and targets `y` [outputs, n]. */
export interface Split {
  readonly x: NdArray;
  /** One-hot [classes, n] for classification (accuracy is then reported), any values otherwise. */
  readonly y: NdArray;
}

/** The training split, and a held-out test split that training never sees. */
export interface ExperimentData {
  readonly train: Split;
  readonly test?: Split;
}

/** A loss of the model's output and the targets, e.g. `(ŷ, y) => logitcrossentropy(ŷ, y)`. */
export type LossFunction = (yhat: Tensor, y: Tensor) => Tensor;

/**
 * A scripted experiment: the default export of a TS/JS module (or a function returning one), or the
 * JSON form described in `fromJson`. `model` and `data` may be functions: they are called after the
 * generator is seeded, so initial weights and the data split are reproducible.
 *
 * @example
 * export default {
 *   name: "mnist-mlp", seed: 1, epochs: 10, batchsize: 64,
 *   model: () => Chain(Dense(784, 128, relu), Dense(128, 10)),
 *   data: () => mnist({ train: 9000, test: 1000 }),
 *   loss: logitcrossentropy,
 *   optimiser: Adam(1e-3),
 * } satisfies Experiment;
 */
export interface Experiment<M extends Layer = Layer> {
  readonly name: string;
  /** Seeds tsflux's generator before the model and data are made (default 0). */
  readonly seed?: number;
  readonly model: M | (() => M);
  readonly data: ExperimentData | (() => ExperimentData);
  /** Default: `logitcrossentropy`. */
  readonly loss?: LossFunction;
  readonly optimiser: Optimiser;
  readonly epochs: number;
  /** Observations per step (default 64). */
  readonly batchsize?: number;
}
