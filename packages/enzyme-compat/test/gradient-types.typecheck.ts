/**
 * Type-level tests of gradient types, checked by `tsc -b` (npm run typecheck): each `Equal` must hold,
 * and each `@ts-expect-error` line must be an error (tsc fails on an unused one).
 */
import { sum, mean, mul, abs2, sub, type NdArray, type Tensor } from "@tsflux/graph";
import { Chain, Dense, Dropout, relu, randn32, type DenseLayer } from "@tsflux/layers";
import { setup, Adam, type Leaf, type EmptyState } from "@tsflux/optim";
import { Duplicated, Const, Active, gradient, withgradient, Enzyme, Reverse, ReverseWithPrimal, type GradientOf } from "@tsflux/enzyme-compat";

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
const expectType = <T extends true>(): T => true as T;

const model = Chain(Dense(4, 8, relu), Dropout(0.5), Dense(8, 2));
const x = randn32(4, 3), y = randn32(2, 3);
const loss = (m: typeof model, x: Tensor, y: Tensor) => mean(abs2(sub(m.forward(x), y)));

// Flux's gradient: one entry per argument; the model's entry mirrors the model
const grads = gradient(loss, Duplicated(model), Const(x), Const(y));
expectType<Equal<typeof grads[0]["layers"][0]["weight"], NdArray>>();
expectType<Equal<typeof grads[0]["layers"][0]["bias"], NdArray | null>>();   // Dense(..., { bias: false }) has none
expectType<Equal<typeof grads[0]["layers"][0]["activation"], null>>();
expectType<Equal<typeof grads[0]["layers"][2], GradientOf<DenseLayer>>>();
expectType<Equal<typeof grads[1], null>>();
expectType<Equal<typeof grads[2], null>>();
const w: NdArray = gradient(loss, Duplicated(model), Const(x), Const(y), { zero: false })[0].layers[0].weight;
// @ts-expect-error: a Dense has no field `weights`
void grads[0].layers[0].weights;
// @ts-expect-error: the tree holds gradients of fields, not the layer's methods
void grads[0].layers[0].forward;
// @ts-expect-error: Flux's gradient needs at least one Duplicated argument
gradient(loss, model, Const(x), Const(y));
// @ts-expect-error: and so does withgradient
withgradient(loss, Const(model), x, y);

// withgradient: the loss as a number, and the same gradients
const both = withgradient(loss, Duplicated(model), Const(x), Const(y));
expectType<Equal<typeof both.val, number>>();
expectType<Equal<typeof both.grad, typeof grads>>();

// Enzyme.gradient: each argument's own type, a number for Active, null for Const
const [gm, gx, ga] = Enzyme.gradient(Reverse, (m: typeof model, x: Tensor, s: number) => mul(sum(m.forward(x)), s), model, Const(x), Active(2));
expectType<Equal<typeof gm, typeof model>>();
expectType<Equal<typeof gx, null>>();
expectType<Equal<typeof ga, number>>();
const withVal = Enzyme.gradient(ReverseWithPrimal, (a: NdArray) => sum(a), x);
expectType<Equal<typeof withVal, { derivs: [NdArray]; val: number }>>();

// setup: a Leaf per float array, () for everything else
const state = setup(Adam(), model);
expectType<Equal<typeof state.layers[0]["weight"], Leaf>>();
expectType<Equal<typeof state.layers[0]["activation"], EmptyState>>();
// @ts-expect-error: the state tree has the model's fields only
void state.layers[0].forward;

export { w };
