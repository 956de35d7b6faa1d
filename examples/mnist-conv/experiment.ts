/**
 * LeNet-5 on MNIST, as in the Flux model zoo (`vision/conv_mnist`): two 5x5 convolutions with relu, each
 * followed by 2x2 max pooling, then three Dense layers; logitcrossentropy, Adam, batches of 128. The same
 * digits and split as the MLP demo (9,000 to train on, 1,000 held out).
 * `tsflux train examples/mnist-conv/experiment.ts` runs it at full size; `npm run demo:conv` runs it too.
 */
import { Chain, Conv, Dense, MaxPool, flatten, logitcrossentropy, relu, type Layer } from "@tsflux/layers";
import { Adam } from "@tsflux/optim";
import { mnist, type Experiment } from "@tsflux/cli";
import type { MnistSizes } from "../mnist/experiment";

/** The full-size run: 9,000 digits to train on, 1,000 to test on, 12 epochs. */
export const LENET_FULL_SIZE: MnistSizes = { train: 9000, test: 1000, epochs: 12 };

/** The model zoo's LeNet5 for 28x28x1 images and 10 classes. */
export const lenet5 = (): Layer => Chain(
  Conv([5, 5], 1, 6, relu), MaxPool([2, 2]),
  Conv([5, 5], 6, 16, relu), MaxPool([2, 2]),
  flatten,
  Dense(4 * 4 * 16, 120, relu), Dense(120, 84, relu), Dense(84, 10),
);

export function lenetExperiment(sizes: MnistSizes = LENET_FULL_SIZE): Experiment {
  return {
    name: "mnist-lenet5",
    seed: 1,
    epochs: sizes.epochs,
    batchsize: 128,
    model: lenet5,
    data: () => mnist({ train: sizes.train, test: sizes.test, image: true }),
    loss: logitcrossentropy,
    optimiser: Adam(1e-3),
  };
}

export default lenetExperiment();
