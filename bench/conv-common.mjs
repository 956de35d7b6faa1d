// The convolutional workloads, shared by every framework: the same weights and data from one mulberry32 stream.
import { mulberry32, denseParams, batch } from "./common.mjs";

/**
 * A conv filter, Glorot-uniform (fan_in = k·k·cin, fan_out = k·k·cout), as tsflux stores it: the
 * column-major [kw, kh, cin, cout] buffer of a true convolution (Flux's Conv flips the kernel).
 */
export function convParams(rng, k, cin, cout) {
  const a = Math.sqrt(6 / (k * k * (cin + cout)));
  const weight = Float32Array.from({ length: k * k * cin * cout }, () => (2 * rng() - 1) * a);
  return { k, cin, cout, weight, bias: new Float32Array(cout) };
}

/** The same filter for a cross-correlation, laid out row-major as [cout, cin, kh, kw] (jax-js, NCHW). */
export function crossCorOIHW({ k, cin, cout, weight }) {
  const out = new Float32Array(weight.length);
  for (let co = 0; co < cout; co++) for (let ci = 0; ci < cin; ci++) for (let kh = 0; kh < k; kh++) for (let kw = 0; kw < k; kw++) {
    out[kw + k * (kh + k * (ci + cin * co))] = weight[(k - 1 - kw) + k * ((k - 1 - kh) + k * (ci + cin * co))];
  }
  return out;
}

/** The same filter for a cross-correlation, laid out row-major as [kh, kw, cin, cout] (tfjs, NHWC). */
export function crossCorHWIO({ k, cin, cout, weight }) {
  const out = new Float32Array(weight.length);
  for (let co = 0; co < cout; co++) for (let ci = 0; ci < cin; ci++) for (let kh = 0; kh < k; kh++) for (let kw = 0; kw < k; kw++) {
    out[co + cout * (ci + cin * (kw + k * kh))] = weight[(k - 1 - kw) + k * ((k - 1 - kh) + k * (ci + cin * co))];
  }
  return out;
}

/**
 * W5: LeNet-5 as in the Flux model zoo on 28x28x1 images, batch 128: Conv(5x5, 1=>6, relu), MaxPool(2),
 * Conv(5x5, 6=>16, relu), MaxPool(2), flatten, Dense(256=>120, relu), Dense(120=>84, relu), Dense(84=>10);
 * logitcrossentropy, gradient + Adam. x is WHCN [28, 28, 1, 128] (= NCHW = NHWC for one channel).
 */
export function workload5(n = 128) {
  const rng = mulberry32(5);
  return {
    convs: [convParams(rng, 5, 1, 6), convParams(rng, 5, 6, 16)],
    dense: [denseParams(rng, 256, 120), denseParams(rng, 120, 84), denseParams(rng, 84, 10)],
    data: batch(rng, 784, 10, n),
  };
}

/** FLOPs of one W5 step: convolutions forward, filter and (second layer) data gradients; dense as W2. */
export const W5_FLOP = (() => {
  const c1 = 2 * 128 * 24 * 24 * 6 * 25, c2 = 2 * 128 * 8 * 8 * 16 * 150;
  const d = 2 * 128 * (256 * 120 + 120 * 84 + 84 * 10);
  return 2 * c1 + 3 * c2 + 3 * d;
})();

/** The conv-layer row: 3x3, 64 => 64 channels, 32x32 images, batch 32, pad 1 (forward). */
export function convLayerOperands() {
  const rng = mulberry32(7);
  return {
    filter: convParams(rng, 3, 64, 64),
    x: Float32Array.from({ length: 32 * 32 * 64 * 32 }, () => 2 * rng() - 1),
  };
}
export const CONV_LAYER_FLOP = 2 * 32 * 32 * 32 * 64 * 64 * 9;
