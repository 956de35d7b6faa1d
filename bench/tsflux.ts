// tsflux on the benchmark workloads, through its public API as a user writes it.
import { sum, abs2, sub, matmul, trace, compile, compiled, allocatedBytes, type Tensor } from "@tsflux/graph";
import { Chain, Dense, LSTM, LSTMCell, mse, sigmoid, softmax, relu, tanh, logitcrossentropy } from "@tsflux/layers";
import { setup, update, Adam } from "@tsflux/optim";
import { Duplicated, Const, gradient, withgradient } from "@tsflux/enzyme-compat";
import { owned, dataArray } from "./arrays";

interface DenseParams { inDim: number; outDim: number; weight: Float32Array; bias: Float32Array }
interface Workload { layers: DenseParams[]; data: { x: Float32Array; y: Float32Array; n: number } }
const ADAM = { eta: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

function dense(p: DenseParams, activation?: (x: Tensor) => Tensor): Dense {
  return Dense(owned(p.weight, [p.outDim, p.inDim]), owned(p.bias, [p.outDim]), activation);
}

export function trainStep({ layers, data }: Workload, kind: "W1" | "W2") {
  const model = kind === "W1"
    ? Chain(dense(layers[0]!, sigmoid), dense(layers[1]!), softmax)
    : Chain(dense(layers[0]!, relu), dense(layers[1]!, relu), dense(layers[2]!));
  const dup = Duplicated(model);
  const state = setup(Adam(ADAM.eta, [ADAM.beta1, ADAM.beta2], ADAM.epsilon), model);
  const classes = layers[layers.length - 1]!.outDim;
  const x = dataArray(data.x, [layers[0]!.inDim, data.n]);
  const y = dataArray(data.y, [classes, data.n]);
  const loss = kind === "W1"
    ? (m: Chain, x: Tensor, y: Tensor) => sum(abs2(sub(m.forward(x), y)))
    : (m: Chain, x: Tensor, y: Tensor) => logitcrossentropy(m.forward(x), y);
  return {
    firstLoss: () => withgradient(loss, dup, Const(x), Const(y)).val as number,
    step: () => {
      gradient(loss, dup, Const(x), Const(y));
      update(state, dup);
    },
    /** Flux's inline style: a fresh closure over the batch on every step. */
    inlineStep: kind === "W1"
      ? () => {
        gradient((m: Chain) => sum(abs2(sub(m.forward(x), y))), dup);
        update(state, dup);
      }
      : () => {
        gradient((m: Chain) => logitcrossentropy(m.forward(x), y), dup);
        update(state, dup);
      },
  };
}

interface LstmWorkload { wi: Float32Array; wh: Float32Array; bias: Float32Array; x: Float32Array; y: Float32Array }

/** W6: an LSTM training step (gradient through time + Adam), the sizes as `W6` in common.mjs. */
export function lstmTrainStep({ wi, wh, bias, x, y }: LstmWorkload, sizes: { features: number; hidden: number; len: number; batch: number }) {
  const { features, hidden, len, batch } = sizes;
  const cell = LSTMCell(features, hidden);
  cell.Wi = owned(wi, [4 * hidden, features]);
  cell.Wh = owned(wh, [4 * hidden, hidden]);
  cell.bias = owned(bias, [4 * hidden]);
  const model = LSTM(cell);
  const dup = Duplicated(model);
  const state = setup(Adam(ADAM.eta, [ADAM.beta1, ADAM.beta2], ADAM.epsilon), model);
  const X = dataArray(x, [features, len, batch]), Y = dataArray(y, [hidden, len, batch]);
  const loss = (m: LSTM, x: Tensor, y: Tensor) => mse(m.forward(x), y);
  return {
    firstLoss: () => withgradient(loss, dup, Const(X), Const(Y)).val as number,
    step: () => {
      gradient(loss, dup, Const(X), Const(Y));
      update(state, dup);
    },
  };
}

export function gemm({ a, b }: { a: Float32Array; b: Float32Array }, n: number) {
  const A = owned(a, [n, n]), B = owned(b, [n, n]);
  const plan = compile(trace((p: Tensor, q: Tensor) => matmul(p, q), A, B));
  plan.bind(0, A);
  plan.bind(1, B);
  return () => plan.execute();
}

/** Inference through the public compiled forward (`compiled(model)(x)`) and through eager `model.forward(x)`. */
export function inference({ layers }: Workload, x: Float32Array, n: number) {
  const model = Chain(dense(layers[0]!, relu), dense(layers[1]!, relu), dense(layers[2]!));
  const X = dataArray(x, [layers[0]!.inDim, n]);
  const f = compiled(model);
  return { compiled: () => f(X), eager: () => model.forward(X) };
}

/**
 * The depth sweep: a Chain of `depth` Dense(16 => 16, tanh) layers on a batch of 4, gradient only. Returns
 * the first call (trace, derivatives, compile) in ms, and a warm step to time.
 */
export function deepChain(depth: number): { firstMs: number; step: () => void } {
  const model = Chain(...Array.from({ length: depth }, () => Dense(16, 16, tanh)));
  const dup = Duplicated(model);
  const x = dataArray(Float32Array.from({ length: 64 }, (_, i) => Math.sin(i)), [16, 4]);
  const loss = (m: Chain, x: Tensor) => sum(m.forward(x));
  const t0 = performance.now();
  gradient(loss, dup, Const(x));
  const firstMs = performance.now() - t0;
  return { firstMs, step: () => void gradient(loss, dup, Const(x)) };
}

/** Bytes of typed arrays tsflux has allocated so far (arenas, staging, results). */
export const tsfluxAllocatedBytes = allocatedBytes;
