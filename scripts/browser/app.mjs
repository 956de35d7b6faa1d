// Runs in a browser page (bundled by scripts/browser-check.mjs from the packages' browser builds):
// trains a small classifier with every browser-ready package, checks a gradient, and reports to the page.
import { matmul, compiled, wrapColMajor, wasmAvailable, wasmUnavailableReason, wasmThreadStats, configureWasmThreads, Tensor } from "@tsflux/graph";
import { gradcheck, randomArray, mulberry32 } from "@tsflux/graph/testing";
import { Chain, Dense, relu, randn32, onehotbatch, onecold, logitcrossentropy, savestate } from "@tsflux/layers";
import { setup, Adam } from "@tsflux/optim";
import { Duplicated, Const, gradient, withgradient, train } from "@tsflux/enzyme-compat";

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function run() {
  const started = performance.now();
  // three well-separated clusters in 4 dimensions
  const n = 96, labels = Array.from({ length: n }, (_, j) => j % 3);
  const x = randn32(4, n);
  labels.forEach((c, j) => (x.data[4 * j + c] += 3));
  const y = onehotbatch(labels, [0, 1, 2]);
  const model = Chain(Dense(4, 16, relu), Dense(16, 3)), dup = Duplicated(model);
  const loss = (m, x, y) => logitcrossentropy(m.forward(x), y);
  const [grads] = gradient(loss, dup, Const(x), Const(y));
  const before = withgradient(loss, dup, Const(x), Const(y)).val;
  const state = setup(Adam(1e-2), model);
  const steps = 40;
  const trainStart = performance.now();
  for (let i = 0; i < steps; i++) train(loss, dup, [[x, y]], state);
  const trainMs = performance.now() - trainStart;
  const after = withgradient(loss, dup, Const(x), Const(y)).val;
  const predicted = onecold(model.forward(x).toNdarray(), [0, 1, 2]);
  const accuracy = predicted.filter((p, j) => p === labels[j]).length / n;

  const xs = randomArray(mulberry32(3), [5, 1], "f64", "unit");
  const target = wrapColMajor(Float64Array.of(0, 0, 1, 0, 0), [5, 1]);
  gradcheck((t) => logitcrossentropy(t, target), [xs]);

  let fileError = "";
  try {
    savestate("model.safetensors", model);
  } catch (e) {
    fileError = e.message;
  }

  // a large compiled product, twice with a pause between: with cross-origin isolation the second one is
  // split across the page and a Web Worker
  configureWasmThreads({ threads: 2 });
  const a = randn32(384, 384), b = randn32(384, 384);
  const product = compiled((p, q) => matmul(p, q)); // a compiled plan: its arena is in the shared heap
  product(a, b);
  await sleep(500);
  for (let i = 0; i < 3; i++) product(a, b);

  return {
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    wasm: wasmAvailable(),
    wasmReason: wasmUnavailableReason(),
    threads: wasmThreadStats(),
    gradShape: grads.layers[0].weight.shape,
    before, after, accuracy, steps, trainMs, totalMs: performance.now() - started,
    fileError,
    isTensor: model.forward(x) instanceof Tensor,
  };
}

run().then(
  (result) => (globalThis.__tsflux = { ok: true, result }),
  (error) => (globalThis.__tsflux = { ok: false, error: String(error && error.stack || error) }),
);
