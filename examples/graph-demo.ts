/**
 * The graph package on its own: fit a small two-layer network to a synthetic regression task with
 * reverse-mode gradients from compiled plans, then print the gradient graph and its statistics.
 * `npm run demo:graph` runs it; `npm run demo` is the Flux-style MNIST demo.
 */
import { valueAndGrad, trace, vjp, matmul, add, sub, tanh, mean, abs2, wrapColMajor, toFlatArray, type Tensor, type NdArray } from "@tsflux/graph";
import { mulberry32, randomArray } from "@tsflux/graph/testing";

const rng = mulberry32(42);
const n = 256;
const x = randomArray(rng, [2, n], "f32", "unit");
const y = wrapColMajor(Float32Array.from({ length: n }, (_, j) => Math.sin(3 * x.data[2 * j]!) * Math.cos(2 * x.data[2 * j + 1]!)), [1, n]);

const params: NdArray[] = [randomArray(rng, [16, 2], "f32", "unit"), randomArray(rng, [16], "f32", "unit"), randomArray(rng, [1, 16], "f32", "unit"), randomArray(rng, [1], "f32", "unit")];
const loss = (w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor) => mean(abs2(sub(add(matmul(w2, tanh(add(matmul(w1, x), b1))), b2), y)));

const lr = 0.2;
for (let step = 0; step <= 600; step++) {
  const { value, grads } = valueAndGrad(loss, ...params);
  params.forEach((p, k) => {
    const g = grads[k]!.toNdarray().data;
    for (let i = 0; i < p.data.length; i++) p.data[i]! -= lr * g[i]!;
  });
  if (step % 100 === 0) console.log(`step ${String(step).padStart(3)}  loss ${Number(value).toFixed(5)}`);
}

const graph = trace((w1: Tensor, b1: Tensor, w2: Tensor, b2: Tensor) => vjp(loss, [w1, b1, w2, b2]).grads, ...params);
console.log("\nThe gradient graph (jaxpr-like text):\n" + String(graph));
const stats = graph.stats();
console.log(`\n${stats.totalNodes} nodes, ${stats.flops} FLOPs per step, arena ${stats.arenaBytes} bytes`);
console.log(`fit at x = (0.5, -0.25): ${toFlatArray(add(matmul(params[2]!, tanh(add(matmul(params[0]!, wrapColMajor(Float32Array.of(0.5, -0.25), [2, 1])), params[1]!))), params[3]!).toNdarray())[0]!.toFixed(3)} (target ${(Math.sin(1.5) * Math.cos(-0.5)).toFixed(3)})`);
