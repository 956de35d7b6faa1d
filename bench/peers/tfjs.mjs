// TensorFlow.js (cpu and wasm backends) on the benchmark workloads, written as a tfjs user would:
// tf.tidy around each step, tf.variableGrads for the gradient, tf.train.adam for the update.
import { createRequire } from "node:module";
import { ADAM } from "../common.mjs";

const require = createRequire(import.meta.url);
const tf = require("@tensorflow/tfjs-core");
require("@tensorflow/tfjs-backend-cpu");
const wasm = require("@tensorflow/tfjs-backend-wasm");
const tfl = require("@tensorflow/tfjs-layers"); // also registers the gradients (tfjs-core alone has none in Node)

export async function useBackend(name) {
  if (name === "wasm") wasm.setWasmPaths(require.resolve("@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm").replace(/[^/]*$/, ""));
  await tf.setBackend(name);
  await tf.ready();
}

/** Variables for the layers: weights as row-major [in, out] (the same data as tsflux's [out, in]). */
function variables(layers) {
  return layers.map((l) => ({ w: tf.variable(tf.tensor2d(l.weight, [l.inDim, l.outDim])), b: tf.variable(tf.tensor1d(l.bias)) }));
}

function forward(vars, x, activations) {
  return vars.reduce((h, { w, b }, k) => activations[k](tf.add(tf.matMul(h, w), b)), x);
}

/** A training step function for W1 (squared error of a softmax) or W2 (logit cross-entropy). */
export function trainStep({ layers, data }, kind) {
  const vars = variables(layers);
  const x = tf.tensor2d(data.x, [data.n, layers[0].inDim]);
  const y = tf.tensor2d(data.y, [data.n, layers[layers.length - 1].outDim]);
  const optimizer = tf.train.adam(ADAM.eta, ADAM.beta1, ADAM.beta2, ADAM.epsilon);
  const id = (t) => t;
  const loss = kind === "W1"
    ? () => tf.sum(tf.square(tf.sub(tf.softmax(forward(vars, x, [tf.sigmoid, id])), y)))
    : () => tf.mean(tf.neg(tf.sum(tf.mul(y, tf.logSoftmax(forward(vars, x, [tf.relu, tf.relu, id]))), 1)));
  const list = vars.flatMap(({ w, b }) => [w, b]);
  return {
    firstLoss: () => tf.tidy(() => loss().dataSync()[0]),
    step: () => {
      const cost = optimizer.minimize(loss, true, list);
      cost.dataSync();
      cost.dispose();
    },
  };
}

/** C = A·B only: the backends compute synchronously, and reading C back (dataSync) is not part of a GEMM. */
export function gemm({ a, b }, n) {
  const A = tf.tensor2d(a, [n, n]), B = tf.tensor2d(b, [n, n]);
  return () => tf.matMul(A, B).dispose();
}

export function inference({ layers }, x, n) {
  const vars = variables(layers);
  const X = tf.tensor2d(x, [n, layers[0].inDim]);
  const id = (t) => t;
  return () => tf.tidy(() => forward(vars, X, [tf.relu, tf.relu, id]).dataSync());
}

/**
 * W6: tf.layers.lstm with returnSequences (sigmoid recurrent activation, as Flux; tfjs's default is
 * hardSigmoid) given W6's weights, mean squared error, tf.train.adam through optimizer.minimize.
 */
export function lstmTrainStep({ wi, wh, bias, x, y }, { features, hidden, len, batch }) {
  const layer = tfl.layers.lstm({ units: hidden, returnSequences: true, recurrentActivation: "sigmoid", unitForgetBias: false, kernelInitializer: "zeros", recurrentInitializer: "zeros", inputShape: [len, features] });
  const X = tf.tensor3d(x, [batch, len, features]), Y = tf.tensor3d(y, [batch, len, hidden]);
  tf.tidy(() => layer.apply(X));
  layer.setWeights([tf.tensor2d(wi, [features, 4 * hidden]), tf.tensor2d(wh, [hidden, 4 * hidden]), tf.tensor1d(bias)]);
  const optimizer = tf.train.adam(ADAM.eta, ADAM.beta1, ADAM.beta2, ADAM.epsilon);
  const loss = () => tf.mean(tf.square(tf.sub(layer.apply(X), Y)));
  const list = layer.trainableWeights.map((w) => w.read());
  return {
    firstLoss: () => tf.tidy(() => loss().dataSync()[0]),
    step: () => {
      const cost = optimizer.minimize(loss, true, list);
      cost.dataSync();
      cost.dispose();
    },
  };
}
