// ESM and CommonJS in one process: both get the same runtime (one Tensor class, one Chain class, one heap).
import assert from "node:assert/strict";
import { createRequire } from "node:module";

const warnings = [];
console.warn = (...args) => warnings.push(args.join(" "));
const graph = await import("@tsflux/graph");
const testing = await import("@tsflux/graph/testing");
const layers = await import("@tsflux/layers");
const enzyme = await import("@tsflux/enzyme-compat");

const require = createRequire(import.meta.url);
const graphCjs = require("@tsflux/graph"), testingCjs = require("@tsflux/graph/testing");
const layersCjs = require("@tsflux/layers"), enzymeCjs = require("@tsflux/enzyme-compat");
assert.equal(graph.Tensor, graphCjs.Tensor, "one Tensor class");
assert.equal(testing.gradcheck, testingCjs.gradcheck);
assert.equal(layers.Chain, layersCjs.Chain, "one Chain class");
assert.equal(enzyme.Duplicated, enzymeCjs.Duplicated);
assert.deepEqual(warnings, [], "no second runtime was registered");

// values cross freely: a CommonJS model, ES module activities and ops, the testing entry's arrays
const model = layersCjs.Chain(layers.Dense(3, 2));
assert.ok(model instanceof layers.Chain);
const x = testing.randomArray(testing.mulberry32(2), [3, 4], "f32", "real");
const y = model.forward(graphCjs.wrapColMajor(x.data, [3, 4]));
assert.ok(y instanceof graph.Tensor);
const [g] = enzyme.gradient((m, x) => graph.sum(m.forward(x)), enzymeCjs.Duplicated(model), enzyme.Const(x));
assert.deepEqual(g.layers[0].weight.shape, [2, 3]);
const used = graphCjs.wasmHeapStats().usedBytes;
const kept = graph.longLivedZeros([4096], "f32"); // a long-lived array (in the heap), allocated through the ES module, seen from CommonJS
if (graph.wasmAvailable()) assert.ok(graphCjs.wasmHeapStats().usedBytes >= used + 4 * 4096, "one WebAssembly heap");
console.log(`mixed: ok (one runtime; wasm ${graph.wasmAvailable() ? "on" : "off"}, ${kept.size} floats on the shared heap)`);
