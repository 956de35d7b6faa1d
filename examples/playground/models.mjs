// The two models the playground trains, as in the Flux model zoo: an MLP on flattened digits and LeNet-5
// on 28x28x1 images (WHCN). Both end in 10 logits and train with logitcrossentropy and Adam.
import { Chain, Conv, Dense, MaxPool, flatten, relu } from "@tsflux/layers";

export const MODELS = {
  mlp: {
    title: "MLP: Dense(784 => 128, relu), Dense(128 => 10)",
    make: () => Chain(Dense(784, 128, relu), Dense(128, 10)),
    // one column of 784 pixels per digit
    inputShape: (n) => [784, n],
    learningRate: 1e-3,
  },
  lenet5: {
    title: "LeNet-5: two 5x5 convolutions with 2x2 max pooling, three Dense layers",
    make: () => Chain(
      Conv([5, 5], 1, 6, relu), MaxPool([2, 2]),
      Conv([5, 5], 6, 16, relu), MaxPool([2, 2]),
      flatten,
      Dense(4 * 4 * 16, 120, relu), Dense(120, 84, relu), Dense(84, 10),
    ),
    // width x height x 1 channel x n: the same bytes as the columns, since pixels go row by row
    inputShape: (n) => [28, 28, 1, n],
    learningRate: 1e-3,
  },
};
