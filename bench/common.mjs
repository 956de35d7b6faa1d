// Shared by every framework in the benchmark: one PRNG, the same weights and data, and the timing rule.

/** mulberry32: the same stream in every framework. */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A dense layer's parameters, Glorot-uniform. The weight's data is the column-major [out, in] matrix
 * tsflux uses, which is also the row-major [in, out] matrix tfjs and jax-js multiply from the right.
 */
export function denseParams(rng, inDim, outDim) {
  const a = Math.sqrt(6 / (inDim + outDim));
  const weight = Float32Array.from({ length: inDim * outDim }, () => (2 * rng() - 1) * a);
  const bias = new Float32Array(outDim);
  return { inDim, outDim, weight, bias };
}

/** x: column-major [features, batch] = row-major [batch, features]; y one-hot the same way. */
export function batch(rng, features, classes, n) {
  const x = Float32Array.from({ length: features * n }, () => 2 * rng() - 1);
  const y = new Float32Array(classes * n);
  for (let j = 0; j < n; j++) y[j * classes + Math.floor(rng() * classes)] = 1;
  return { x, y, n };
}

/** W1: Chain(Dense(784, 32, sigmoid), Dense(32, 10), softmax), batch 1, sum(abs2(ŷ - y)), Adam. */
export function workload1() {
  const rng = mulberry32(1);
  return { layers: [denseParams(rng, 784, 32), denseParams(rng, 32, 10)], data: batch(rng, 784, 10, 1) };
}

/** W2: Dense(784, 512, relu), Dense(512, 512, relu), Dense(512, 10), logitcrossentropy, batch 128, Adam. */
export function workload2(n = 128) {
  const rng = mulberry32(2);
  return { layers: [denseParams(rng, 784, 512), denseParams(rng, 512, 512), denseParams(rng, 512, 10)], data: batch(rng, 784, 10, n) };
}

/** W6 sizes: an LSTM over sequences of `len` steps, `batch` sequences, `features` inputs, `hidden` units. */
export const W6 = { features: 64, hidden: 256, len: 64, batch: 32 };

/**
 * W6: LSTM(64 => 256) over [64, 64, 32] (features, len, batch), mean squared error of the whole output
 * sequence against a target, Adam. Weights in Flux's layout: Wi [4h, in], Wh [4h, h] column-major (the
 * row-major [in, 4h] and [h, 4h] kernels of Keras), gate blocks input, forget, cell, output; bias zero.
 * x is column-major [features, len, batch] = row-major [batch, len, features]; y likewise with hidden.
 */
export function workload6() {
  const rng = mulberry32(6);
  const { features, hidden, len, batch } = W6;
  const glorot = (fanIn, fanOut, n) => {
    const a = Math.sqrt(6 / (fanIn + fanOut));
    return Float32Array.from({ length: n }, () => (2 * rng() - 1) * a);
  };
  return {
    wi: glorot(features, 4 * hidden, 4 * hidden * features),
    wh: glorot(hidden, 4 * hidden, 4 * hidden * hidden),
    bias: new Float32Array(4 * hidden),
    x: Float32Array.from({ length: features * len * batch }, () => 2 * rng() - 1),
    y: Float32Array.from({ length: hidden * len * batch }, () => rng() - 0.5),
  };
}

/** FLOPs of one W6 training step's matrix products: forward, and the two gradient products of each. */
export const W6_FLOP = 3 * 2 * W6.len * W6.batch * 4 * W6.hidden * (W6.features + W6.hidden);

/** W3: square sgemm operands. */
export function gemmOperands(n) {
  const rng = mulberry32(3 + n);
  return { a: Float32Array.from({ length: n * n }, () => rng() - 0.5), b: Float32Array.from({ length: n * n }, () => rng() - 0.5) };
}

/** FLOPs of one W2 training step: forward, weight gradients, input gradients of layers 2 and 3. */
export const W2_FLOP = 2 * 128 * (784 * 512 + 512 * 512 + 512 * 10) * 2 + 2 * 128 * (512 * 512 + 512 * 10);
/** FLOPs of one W4 forward pass at batch 1024. */
export const W4_FLOP = 2 * 1024 * (784 * 512 + 512 * 512 + 512 * 10);

export const ADAM = { eta: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

/**
 * Times `step` (which may be async): warm-up, then `repeats` rounds each running at least `minMs`;
 * returns the median rate in calls per second and the spread.
 */
export async function measure(step, { warmup = 5, repeats = 5, minMs = 300 } = {}) {
  for (let i = 0; i < warmup; i++) await step();
  const rates = [];
  for (let r = 0; r < repeats; r++) {
    let n = 0;
    const t0 = performance.now();
    let t = t0;
    while (t - t0 < minMs) {
      await step();
      n++;
      t = performance.now();
    }
    rates.push((n * 1000) / (t - t0));
  }
  rates.sort((p, q) => p - q);
  return { median: rates[Math.floor(rates.length / 2)], min: rates[0], max: rates[rates.length - 1] };
}
