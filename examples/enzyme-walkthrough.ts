/**
 * The Flux documentation page "Automatic Differentiation using Enzyme.jl", as a TypeScript
 * walkthrough with printing. Run it with `npm run walkthrough`.
 */
import ndarray from "ndarray";
import { sum, abs2, sub, toFlatArray, type Tensor, type NdArray } from "@tsflux/graph";
import { Chain, Dense, sigmoid, softmax, randn32 } from "@tsflux/layers";
import { setup, update, Adam } from "@tsflux/optim";
import { Duplicated, Const, Reverse, Enzyme, gradient, withgradient, train } from "@tsflux/enzyme-compat";

const model = Chain(Dense(28 * 28, 32, sigmoid), Dense(32, 10), softmax); // `new` optional
const dupModel = Duplicated(model); // allocates the shadow: dupModel.val, dupModel.dval
console.log(String(dupModel));

const x1 = randn32(28 * 28, 1); // Float32 ndarray, shape [784, 1]
const y1 = ndarray(Float32Array.from({ length: 10 }, (_, i) => (i === 3 ? 1 : 0)), [10]);

const loss = (m: Chain, x: Tensor, y: Tensor) => sum(abs2(sub(m.forward(x), y)));

type DenseGrad = { weight: NdArray; bias: NdArray; activation: null };
const gradsF = gradient(loss, dupModel, Const(x1), Const(y1)) as [{ layers: DenseGrad[] }, null, null];
const shadowLayers = dupModel.dval.layers as unknown as Dense[];
console.log("\ngradsF[0].layers[0].weight is a view of the shadow:", gradsF[0].layers[0]!.weight.data === shadowLayers[0]!.weight.data);
console.log("gradsF[1], gradsF[2]:", gradsF[1], gradsF[2]);

const { val, grad } = withgradient(loss, dupModel, Const(x1), Const(y1));
console.log(`withgradient: val = ${val}, ${grad.length} gradients`);

const optState = setup(Adam(), model);
update(optState, model, gradsF[0]); // mutates model's arrays in place
update(optState, dupModel); // uses the gradient stored in dupModel.dval

const gradsE = Enzyme.gradient(Reverse, loss, model, Const(x1), Const(y1)) as [Chain, null, null];
console.log("\nEnzyme.gradient gives a Chain holding gradients:", gradsE[0] instanceof Chain);
const again = gradient(loss, dupModel, Const(x1), Const(y1)) as typeof gradsF;
const enzymeBias = (gradsE[0].layers as unknown as Dense[])[1]!.bias as NdArray;
const same = toFlatArray(again[0].layers[1]!.bias).every((v, i) => Math.abs(v - toFlatArray(enzymeBias)[i]!) < 1e-6);
console.log("Flux-style and Enzyme-style gradients agree:", same);

const summary = train(loss, dupModel, [[x1, y1]], setup(Adam(0), model)); // one pass over the data
console.log(`train: ${summary.steps} step, loss ${summary.meanLoss.toFixed(4)}`);
console.log("\n" + String(dupModel));
