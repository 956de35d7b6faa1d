/** Second order: Hessians against closed forms, hvp against finite differences of gradients, gradient penalties. */
import {
  hvp, vjp, valueAndGrad, sum, mul, add, matmul, tanh, softplus, logsumexp, zerosLike, assign, addAssign, exp, abs2, toFlatArray, type Tensor, type NdArray,
} from "@tsflux/graph";
import { gradcheck, numericalJacobian, expectClose, mulberry32, randomArray, seedFrom } from "@tsflux/graph/testing";

const rng = mulberry32(seedFrom("second-order.test"));

/** The full Hessian of a scalar function of one vector, one hvp per basis vector (column j = H e_j). */
function hessian(f: (x: Tensor) => Tensor, x: NdArray): number[][] {
  const n = x.data.length;
  return Array.from({ length: n }, (_, j) => {
    const e = randomArray(rng, [n], "f64");
    e.data.fill(0);
    e.data[j] = 1;
    return toFlatArray(hvp(f, [x], [e])[0]!.toNdarray());
  });
}

function expectMatrix(actual: number[][], expected: number[][], what: string): void {
  actual.forEach((col, j) => expectClose(col, expected.map((row) => row[j]!), { rtol: 1e-10, atol: 1e-12, what: `${what}, column ${j + 1}` }));
}

test("quadratic form ½ xᵀA x: H = (A + Aᵀ)/2", () => {
  const A = randomArray(rng, [4, 4], "f64");
  const x = randomArray(rng, [4], "f64");
  const f = (x: Tensor) => mul(sum(mul(x, matmul(A, x))), 0.5);
  const a = (i: number, j: number) => A.data[i + 4 * j]!;
  const expected = [0, 1, 2, 3].map((i) => [0, 1, 2, 3].map((j) => (a(i, j) + a(j, i)) / 2));
  expectMatrix(hessian(f, x), expected, "quadratic form");
});

test("Σ softplus(x): H = diag(σ(x)(1 - σ(x)))", () => {
  const x = randomArray(rng, [3], "f64");
  const s = (v: number) => 1 / (1 + Math.exp(-v));
  const expected = [0, 1, 2].map((i) => [0, 1, 2].map((j) => (i === j ? s(x.data[i]!) * (1 - s(x.data[i]!)) : 0)));
  expectMatrix(hessian((x) => sum(softplus(x)), x), expected, "softplus");
});

test("logsumexp(x): H = diag(p) - p pᵀ with p = softmax(x)", () => {
  const x = randomArray(rng, [4], "f64");
  const z = toFlatArray(x).reduce((acc, v) => acc + Math.exp(v), 0);
  const p = toFlatArray(x).map((v) => Math.exp(v) / z);
  const expected = p.map((pi, i) => p.map((pj, j) => (i === j ? pi : 0) - pi * pj));
  expectMatrix(hessian((x) => logsumexp(x), x), expected, "logsumexp");
});

test("hvp agrees with finite differences of the gradient, through matmul, tanh and exp", () => {
  const W = randomArray(rng, [3, 4], "f64", "unit");
  const f = (x: Tensor) => sum(tanh(matmul(W, exp(mul(x, 0.5)))));
  const x = randomArray(rng, [4], "f64", "unit"), v = randomArray(rng, [4], "f64", "unit");
  const gradient = (x: Tensor) => valueAndGrad(f, x).grads[0]!;
  const J = numericalJacobian(gradient, [x], 0);
  const expected = [0, 1, 2, 3].map((i) => J.reduce((acc, col, j) => acc + col[i]! * v.data[j]!, 0));
  expectClose(hvp(f, [x], [v])[0]!, expected, { rtol: 1e-6, atol: 1e-8 });
});

test("hvp of a function that mutates a buffer (Enzyme's forward-over-reverse Hessian test)", () => {
  const f = (x: Tensor) => {
    const y = zerosLike(x);
    assign(y, mul(x, x));
    addAssign(y, exp(x));
    return sum(abs2(y));
  };
  // y = x² + eˣ, f = Σ y², H = diag(2 (y')² + 2 y y'') with y' = 2x + eˣ, y'' = 2 + eˣ
  const x = randomArray(rng, [3], "f64", "unit");
  const expected = [0, 1, 2].map((i) => [0, 1, 2].map((j) => {
    if (i !== j) return 0;
    const t = x.data[i]!, y = t * t + Math.exp(t), d1 = 2 * t + Math.exp(t), d2 = 2 + Math.exp(t);
    return 2 * d1 * d1 + 2 * y * d2;
  }));
  expectMatrix(hessian(f, x), expected, "mutating");
});

test("a gradient penalty on a layer's input gradient, differentiated with respect to the weights", () => {
  // P(W, b) = Σ (∂/∂x Σ tanh(W x + b))²  — reverse over reverse through matmul, add and tanh
  const x = randomArray(rng, [3, 2], "f64", "unit");
  const penalty = (W: Tensor, b: Tensor) => {
    const [gx] = vjp((xx) => sum(tanh(add(matmul(W, xx), b))), [x]).grads;
    return sum(abs2(gx!));
  };
  gradcheck(penalty, [randomArray(rng, [4, 3], "f64", "unit"), randomArray(rng, [4], "f64", "unit")], { what: "gradient penalty" });
});
