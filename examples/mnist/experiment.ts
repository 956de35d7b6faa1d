/**
 * The MNIST experiment: an MLP in the spirit of the Flux model zoo's (`Chain(Dense(784 => 128, relu),
 * Dense(128 => 10))`), widened to two hidden layers with dropout so that 9,000 training digits are
 * enough for 95 % on held-out digits; logitcrossentropy, Adam.
 * `tsflux train examples/mnist/experiment.ts` runs it at full size; `npm run demo` runs it too.
 */
import { Chain, Dense, Dropout, logitcrossentropy, relu } from "@tsflux/layers";
import { Adam } from "@tsflux/optim";
import { mnist, type Experiment } from "@tsflux/cli";

export interface MnistSizes {
  /** Training digits (of the package's 10,000). */
  readonly train: number;
  /** Held-out test digits, never trained on. */
  readonly test: number;
  readonly epochs: number;
}

/** The full-size run: 9,000 digits to train on, 1,000 to test on. */
export const FULL_SIZE: MnistSizes = { train: 9000, test: 1000, epochs: 12 };

export function mnistExperiment(sizes: MnistSizes = FULL_SIZE): Experiment {
  return {
    name: "mnist-mlp",
    seed: 1,
    epochs: sizes.epochs,
    batchsize: 64,
    model: () => Chain(Dense(784, 512, relu), Dropout(0.2), Dense(512, 256, relu), Dropout(0.2), Dense(256, 10)),
    data: () => mnist({ train: sizes.train, test: sizes.test }),
    loss: logitcrossentropy,
    optimiser: Adam(5e-4),
  };
}

export default mnistExperiment();
