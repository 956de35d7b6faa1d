/** LeNet-5 as the Flux model zoo writes it: two 5x5 convolutions with max pooling, then three Dense layers. */
import { Chain, Conv, Dense, MaxPool, flatten, relu } from "@tsflux/layers";

export const lenet5 = (): Chain =>
  Chain(
    Conv([5, 5], 1, 6, relu), MaxPool([2, 2]),
    Conv([5, 5], 6, 16, relu), MaxPool([2, 2]),
    flatten,
    Dense(256, 120, relu), Dense(120, 84, relu), Dense(84, 10),
  );
