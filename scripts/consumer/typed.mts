// A TypeScript consumer: declaration: true, skipLibCheck: false, no @types/node (lib dom, as a browser
// project has); compiled, then run.
import { mean, abs2, sub, type NdArray, type Tensor } from "@tsflux/graph";
import { gradcheck } from "@tsflux/graph/testing";
import { Chain, Dense, Dropout, relu, randn32 } from "@tsflux/layers";
import { setup, Adam, type Leaf } from "@tsflux/optim";
import { Duplicated, Const, gradient, withgradient, Enzyme, Reverse } from "@tsflux/enzyme-compat";
import { VERSION, type Experiment } from "@tsflux/cli";

export const model = Chain(Dense(3, 8, relu), Dropout(0.1), Dense(8, 1));
export const dup = Duplicated(model);
export const state = setup(Adam(), model);
export const loss = (m: typeof model, x: Tensor, y: Tensor) => mean(abs2(sub(m.forward(x), y)));
export const grads = gradient(loss, dup, Const(randn32(3, 4)), Const(randn32(1, 4)));
export const weight: NdArray = grads[0].layers[0].weight;
export const val: number = withgradient(loss, dup, Const(randn32(3, 4)), Const(randn32(1, 4))).val;
export const sameType: typeof model = Enzyme.gradient(Reverse, loss, model, Const(randn32(3, 4)), Const(randn32(1, 4)))[0];
export const leaf: Leaf = state.layers[0].weight;
export const experiment: Partial<Experiment> = { name: "typed", epochs: 1 };
export { gradcheck, VERSION };
export const misuse = () => [
  // @ts-expect-error: a Dense has no field `weights`
  grads[0].layers[0].weights,
  // @ts-expect-error: Flux's gradient needs a Duplicated argument
  gradient(loss, model, Const(randn32(3, 4)), Const(randn32(1, 4))),
];
if (!(weight.shape[0] === 8 && weight.shape[1] === 3 && Number.isFinite(val) && sameType instanceof Chain)) throw new Error("typed consumer: unexpected values");
console.log("typed: ok");
