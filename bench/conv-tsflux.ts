// tsflux on the convolutional workloads, through its public API as a user writes it.
import { conv, matmul, trace, compile, zerosArray, type Tensor } from "@tsflux/graph";
import { Chain, Conv, Dense, MaxPool, flatten, relu, logitcrossentropy, type Layer } from "@tsflux/layers";
import { setup, update, Adam } from "@tsflux/optim";
import { Duplicated, Const, gradient, withgradient } from "@tsflux/enzyme-compat";
import { owned, dataArray } from "./arrays";

interface ConvParams { k: number; cin: number; cout: number; weight: Float32Array; bias: Float32Array }
interface DenseParams { inDim: number; outDim: number; weight: Float32Array; bias: Float32Array }
interface Workload5 { convs: ConvParams[]; dense: DenseParams[]; data: { x: Float32Array; y: Float32Array; n: number } }

const convLayer = (p: ConvParams) => Conv(owned(p.weight, [p.k, p.k, p.cin, p.cout]), owned(p.bias, [p.cout]), relu);
const denseLayer = (p: DenseParams, act?: (x: Tensor) => Tensor) => Dense(owned(p.weight, [p.outDim, p.inDim]), owned(p.bias, [p.outDim]), act);

/** W5: LeNet-5 training step (gradient + Adam). */
export function lenetStep({ convs, dense, data }: Workload5) {
  const model: Layer = Chain(
    convLayer(convs[0]!), MaxPool([2, 2]), convLayer(convs[1]!), MaxPool([2, 2]), flatten,
    denseLayer(dense[0]!, relu), denseLayer(dense[1]!, relu), denseLayer(dense[2]!),
  );
  const dup = Duplicated(model);
  const state = setup(Adam(0.001, [0.9, 0.999], 1e-8), model);
  const x = dataArray(data.x, [28, 28, 1, data.n]), y = dataArray(data.y, [10, data.n]);
  const loss = (m: Layer, x: Tensor, y: Tensor) => logitcrossentropy(m.forward(x), y);
  return {
    firstLoss: () => withgradient(loss, dup, Const(x), Const(y)).val as number,
    step: () => {
      gradient(loss, dup, Const(x), Const(y));
      update(state, dup);
    },
  };
}

/** The conv-layer row: y = conv(x, w) with pad 1, compiled. */
export function convLayer3x3({ filter, x }: { filter: ConvParams; x: Float32Array }) {
  const X = dataArray(x, [32, 32, 64, 32]), W = owned(filter.weight, [3, 3, 64, 64]);
  const plan = compile(trace((a: Tensor, b: Tensor) => conv(a, b, { pad: 1 }), X, W));
  plan.bind(0, X);
  plan.bind(1, W);
  return () => plan.execute();
}

/**
 * The Wasm GEMM alone on the products an im2col conv layer would run: one per image of the batch (32), each
 * Wᵀ colᵀ, [64 x 576] * [576 x 1024] (both operands transposed).
 */
export function convGemm() {
  const A = zerosArray([1024, 576], "f32"), B = zerosArray([576, 64], "f32");
  (A.data as Float32Array).fill(0.5);
  (B.data as Float32Array).fill(0.25);
  const plan = compile(trace((col: Tensor, w: Tensor) => matmul(w, col, { transA: true, transB: true }), A, B));
  plan.bind(0, A);
  plan.bind(1, B);
  return () => {
    for (let image = 0; image < 32; image++) plan.execute();
  };
}
