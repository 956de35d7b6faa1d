/**
 * A graph script for `tsflux graph`: a small classifier, a batch of 16 inputs with their one-hot
 * labels, and its loss. `tsflux graph examples/graph-script.ts --grad` prints the gradient graph.
 */
import type { Tensor } from "@tsflux/graph";
import { Chain, Dense, logitcrossentropy, onehotbatch, randn32, relu } from "@tsflux/layers";

export const model: Chain = Chain(Dense(784, 32, relu), Dense(32, 10));
export const inputs = [randn32(784, 16), onehotbatch(Array.from({ length: 16 }, (_, i) => i % 10), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])];
export const loss = (m: Chain, x: Tensor, y: Tensor) => logitcrossentropy(m.forward(x), y);
