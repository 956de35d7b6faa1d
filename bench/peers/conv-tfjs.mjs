// TensorFlow.js on the convolutional workloads (NHWC, as tfjs users write them): conv2d, maxPool,
// optimizer.minimize with tf.train.adam. Filters are the tsflux ones flipped (tfjs cross-correlates).
import { createRequire } from "node:module";
import { ADAM } from "../common.mjs";
import { crossCorHWIO } from "../conv-common.mjs";

const require = createRequire(import.meta.url);
const tf = require("@tensorflow/tfjs-core");

/** W5: LeNet-5 training step; the pooled maps are transposed to NCHW before flatten, as Flux flattens WHCN. */
export function lenetStep({ convs, dense, data }) {
  const cv = convs.map((c) => ({ w: tf.variable(tf.tensor4d(crossCorHWIO(c), [c.k, c.k, c.cin, c.cout])), b: tf.variable(tf.tensor1d(c.bias)) }));
  const dv = dense.map((l) => ({ w: tf.variable(tf.tensor2d(l.weight, [l.inDim, l.outDim])), b: tf.variable(tf.tensor1d(l.bias)) }));
  const n = data.n;
  const x = tf.tensor4d(data.x, [n, 28, 28, 1]), y = tf.tensor2d(data.y, [n, 10]);
  const optimizer = tf.train.adam(ADAM.eta, ADAM.beta1, ADAM.beta2, ADAM.epsilon);
  const loss = () => {
    let h = x;
    for (const { w, b } of cv) h = tf.maxPool(tf.relu(tf.add(tf.conv2d(h, w, 1, "valid"), b)), 2, 2, "valid");
    h = tf.reshape(tf.transpose(h, [0, 3, 1, 2]), [n, 256]);
    h = dv.reduce((a, { w, b }, k) => (k < 2 ? tf.relu : (t) => t)(tf.add(tf.matMul(a, w), b)), h);
    return tf.mean(tf.neg(tf.sum(tf.mul(y, tf.logSoftmax(h)), 1)));
  };
  const list = [...cv, ...dv].flatMap(({ w, b }) => [w, b]);
  return {
    firstLoss: () => tf.tidy(() => loss().dataSync()[0]),
    step: () => {
      const cost = optimizer.minimize(loss, true, list);
      cost.dataSync();
      cost.dispose();
    },
  };
}

/** The conv-layer row: conv2d 3x3, pad 1 ("same"), NHWC [32, 32, 32, 64]. */
export function convLayer3x3({ filter, x }) {
  const X = tf.tensor4d(x, [32, 32, 32, 64]), W = tf.tensor4d(crossCorHWIO(filter), [3, 3, 64, 64]);
  return () => tf.conv2d(X, W, 1, "same").dispose();
}
