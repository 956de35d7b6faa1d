/**
 * Flux-style and Enzyme-style gradients agree with each other and with Float64 finite differences,
 * over a list of models (Float64 models, and Float32 ones against their Float64 copies).
 */
import { sum, abs2, sub, mean, type Tensor, type NdArray, leaves, toFlatArray, Tensor as T } from "@tsflux/graph";
import { Chain, Dense, LayerNorm, SkipConnection, Parallel, sigmoid, relu, tanh, softmax, logitcrossentropy, mse, f64, randn32, onehotbatch } from "@tsflux/layers";
import { Duplicated, Const, Reverse, Forward, Enzyme, gradient } from "@tsflux/enzyme-compat";
import { expectClose } from "@tsflux/graph/testing";
import { seed } from "@tsflux/graph";

type Model = { forward(x: Tensor): Tensor };
interface Case {
  name: string;
  model: () => Model;
  x: () => NdArray;
  y: () => NdArray;
  loss: (m: Model, x: Tensor, y: Tensor) => Tensor;
}

const sq = (m: Model, x: Tensor, y: Tensor) => sum(abs2(sub(m.forward(x), y)));

const CASES: Case[] = [
  { name: "Dense(4 => 3, tanh)", model: () => Dense(4, 3, tanh), x: () => randn32(4, 5), y: () => randn32(3, 5), loss: sq },
  { name: "seed-like Chain with softmax", model: () => Chain(Dense(6, 5, sigmoid), Dense(5, 4), softmax), x: () => randn32(6, 3), y: () => onehotbatch([1, 2, 4], [1, 2, 3, 4]), loss: sq },
  { name: "Chain with relu and logitcrossentropy", model: () => Chain(Dense(5, 8, relu), Dense(8, 3)), x: () => randn32(5, 4), y: () => onehotbatch([1, 3, 2, 3], [1, 2, 3]), loss: (m, x, y) => logitcrossentropy(m.forward(x), y) },
  { name: "LayerNorm in a Chain", model: () => Chain(Dense(4, 6), LayerNorm(6), Dense(6, 2)), x: () => randn32(4, 3), y: () => randn32(2, 3), loss: (m, x, y) => mse(m.forward(x), y) },
  { name: "SkipConnection and Parallel", model: () => Chain(SkipConnection(Dense(3, 3, tanh), (a: Tensor, b: Tensor) => sub(a, b)), Parallel((a: Tensor, b: Tensor) => sub(a, b), Dense(3, 2), Dense(3, 2, sigmoid))), x: () => randn32(3, 4), y: () => randn32(2, 4), loss: (m, x, y) => mean(abs2(sub(m.forward(x), y))) },
];

/** ∂loss/∂θ for every parameter entry of a Float64 model, by central differences (eps 1e-6). */
function finiteDifferences(c: Case, model: Model, x: NdArray, y: NdArray): number[][] {
  const evalLoss = () => Number(c.loss(model, T.concrete(x), T.concrete(y)));
  return leaves(model, { floatOnly: true }).map(({ value: a }) =>
    toFlatArray(a).map((_, i) => {
      const saved = a.data[i]!;
      a.data[i] = saved + 1e-6;
      const plus = evalLoss();
      a.data[i] = saved - 1e-6;
      const minus = evalLoss();
      a.data[i] = saved;
      return (plus - minus) / 2e-6;
    }),
  );
}

const flatGrads = (tree: unknown) => leaves(tree, { floatOnly: true }).map((l) => toFlatArray(l.value));

describe.each(CASES.map((c) => [c.name, c] as const))("%s", (_name, c) => {
  seed(11);
  const model32 = c.model(), x32 = c.x(), y32 = c.y();
  const model = f64(model32), x = f64(x32), y = f64(y32);

  test("Float64: Flux-style gradient = Enzyme.gradient (Reverse and Forward) = finite differences", () => {
    const fd = finiteDifferences(c, model, x, y);
    const flux = flatGrads(gradient(c.loss, Duplicated(model), Const(x), Const(y))[0]);
    const reverse = flatGrads((Enzyme.gradient(Reverse, c.loss, model, Const(x), Const(y)) as unknown[])[0]);
    expect(flux.length).toBe(fd.length);
    fd.forEach((g, k) => {
      expectClose(flux[k]!, g, { rtol: 1e-3, atol: 1e-5, what: `${c.name}: Flux gradient of array ${k + 1}` });
      expectClose(reverse[k]!, flux[k]!, { rtol: 1e-12, atol: 1e-14, what: `${c.name}: Enzyme vs Flux, array ${k + 1}` });
    });
    if (fd.reduce((n, g) => n + g.length, 0) <= 80) {
      const forward = flatGrads((Enzyme.gradient(Forward, c.loss, model, Const(x), Const(y)) as unknown[])[0]);
      forward.forEach((g, k) => expectClose(g, flux[k]!, { rtol: 1e-10, atol: 1e-12, what: `${c.name}: Forward vs Reverse, array ${k + 1}` }));
    }
  });

  test("Float32 gradients match the Float64 ones", () => {
    const g32 = flatGrads(gradient(c.loss, Duplicated(model32), Const(x32), Const(y32))[0]);
    const g64 = flatGrads(gradient(c.loss, Duplicated(model), Const(x), Const(y))[0]);
    g64.forEach((g, k) => expectClose(g32[k]!, g, { rtol: 1e-3, atol: 1e-4, what: `${c.name}: Float32 vs Float64, array ${k + 1}` }));
  });
});
