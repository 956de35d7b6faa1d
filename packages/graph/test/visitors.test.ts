/** The reverse and forward visitors: activity pruning, fan-out, second order and Hessian-vector products. */
import {
  trace, compile, vjp, jvp, hvp, valueAndGrad, emitVjp, sum, mul, add, exp, tanh, pow, matmul, abs2, getindex, Tensor, OPS,
  toFlatArray, wrapColMajor, GraphError, type OpDef,
} from "@tsflux/graph";
import { expectClose, mulberry32, randomArray, seedFrom, numericalJacobian } from "@tsflux/graph/testing";

const rng = mulberry32(seedFrom("visitors.test"));
const vec = (...v: number[]) => wrapColMajor(Float64Array.from(v), [v.length]);

test("the reverse visitor emits nothing for inputs no active value reaches, or that do not reach the output", () => {
  const x = vec(1, 2, 3), c = vec(4, 5, 6);
  const graph = trace((x: Tensor, c: Tensor) => {
    const unused = exp(c); // depends only on a constant
    const dead = tanh(x); // active but does not reach the loss
    const loss = sum(mul(x, c));
    const [g] = vjp((x) => sum(mul(x, c)), [x]).grads;
    return [g!, unused, dead, loss];
  }, x, c);
  const ops = graph.nodes.map((n) => n.op);
  // the gradient of sum(x * c) is c (through broadcast of the seed): no exp/tanh derivative nodes
  expect(ops.filter((o) => o === "exp")).toHaveLength(1);
  expect(ops.filter((o) => o === "tanh")).toHaveLength(1);
  expect(ops).not.toContain("sub");
});

test("fan-out: a value used three times gets the sum of three cotangents", () => {
  const x = vec(0.5, -1.5);
  const { grads } = valueAndGrad((x) => sum(add(mul(x, x), mul(x, 3))), x);
  expectClose(grads[0]!, [2 * 0.5 + 3, 2 * -1.5 + 3], { rtol: 1e-15 });
});

test("f(x, x): the same array as two arguments gets two separate gradients", () => {
  const x = vec(2, 3);
  const { grads } = vjp((a, b) => sum(mul(a, abs2(b))), [x, x]);
  expectClose(grads[0]!, [4, 9], { rtol: 1e-15 });
  expectClose(grads[1]!, [2 * 2 * 2, 2 * 3 * 3], { rtol: 1e-15 });
});

test("reverse over reverse: the gradient of a gradient norm (a gradient penalty)", () => {
  // f(x) = Σ x³  ⇒  ∇f = 3x², penalty P(x) = Σ (3x²)² = 9 Σ x⁴  ⇒  ∇P = 36 x³
  const x = vec(0.5, -1, 2);
  const penalty = (x: Tensor) => sum(abs2(vjp((y) => sum(pow(y, 3)), [x]).grads[0]!));
  const { value, grads } = valueAndGrad(penalty, x);
  expectClose(value, [9 * (0.0625 + 1 + 16)], { rtol: 1e-14 });
  expectClose(grads[0]!, [36 * 0.125, -36, 36 * 8], { rtol: 1e-13 });
});

test("hvp (forward over reverse) against finite differences of the gradient, and a closed-form Hessian", () => {
  // f(x) = Σ x³ + x₁x₂ + tanh(x₃):  H = diag(6x) + [[0,1,0],[1,0,0],[0,0,0]] + diag(0,0,tanh''(x₃))
  const f = (x: Tensor) => add(add(sum(pow(x, 3)), mul(getindex(x, 1), getindex(x, 2))), tanh(getindex(x, 3)));
  const x = vec(0.3, -0.7, 1.1);
  const t = Math.tanh(1.1), tpp = -2 * t * (1 - t * t);
  const H = [[6 * 0.3, 1, 0], [1, 6 * -0.7, 0], [0, 0, 6 * 1.1 + tpp]];
  for (let j = 0; j < 3; j++) {
    const e = vec(...[0, 1, 2].map((i) => +(i === j)));
    expectClose(hvp(f, [x], [e])[0]!, H.map((row) => row[j]!), { rtol: 1e-12, atol: 1e-14, what: `H column ${j}` });
  }
  const v = randomArray(rng, [3], "f64", "unit");
  const gradOf = (x: Tensor) => valueAndGrad(f, x).grads[0]!;
  const J = numericalJacobian(gradOf, [x], 0);
  const expected = [0, 1, 2].map((i) => J.reduce((s, col, j) => s + col[i]! * v.data[j]!, 0));
  expectClose(hvp(f, [x], [v])[0]!, expected, { rtol: 1e-6, atol: 1e-8 });
});

test("Hessian symmetry: u·Hv = v·Hu", () => {
  const W = randomArray(rng, [3, 4], "f64", "unit");
  const f = (x: Tensor) => sum(tanh(matmul(W, exp(mul(x, 0.5)))));
  const x = randomArray(rng, [4, 1], "f64", "unit"), u = randomArray(rng, [4, 1], "f64", "unit"), v = randomArray(rng, [4, 1], "f64", "unit");
  const dot = (a: Tensor, b: typeof u) => toFlatArray(a.toNdarray()).reduce((s, z, i) => s + z * b.data[i]!, 0);
  const uHv = dot(hvp(f, [x], [v])[0]!, u), vHu = dot(hvp(f, [x], [u])[0]!, v);
  expectClose(uHv, vHu, { rtol: 1e-12 });
});

test("jvp of a vjp and vjp of a jvp agree (mixed modes)", () => {
  const x = randomArray(rng, [3], "f64", "unit"), v = randomArray(rng, [3], "f64", "unit");
  const f = (x: Tensor) => sum(mul(exp(x), tanh(x)));
  const viaForward = jvp((x) => valueAndGrad(f, x).grads[0]!, [x], [v]).tangent;
  const viaReverse = valueAndGrad((x) => jvp(f, [x], [v]).tangent, x).grads[0]!;
  expectClose(viaForward, viaReverse, { rtol: 1e-12, atol: 1e-14 });
});

test("a rule that returns a gradient of the wrong shape is caught, naming the op", () => {
  const ops = OPS as unknown as Record<string, OpDef<Record<string, never>>>;
  const original = ops.exp!;
  ops.exp = { ...original, vjp: (_p, dy) => [sum(dy)] } as OpDef<Record<string, never>>;
  try {
    expect(() => valueAndGrad((x) => sum(exp(x)), vec(1, 2))).toThrow(GraphError);
    expect(() => valueAndGrad((x) => sum(exp(x)), vec(1, 2))).toThrow(/^exp: the gradient rule gave f64\[\] for input 1, which is f64\[2\]/);
  } finally {
    ops.exp = original;
  }
});

test("a gradient with respect to a value the output does not depend on is zero, not an error", () => {
  const x = vec(1, 2), y = vec(3, 4);
  const { grads } = vjp((a, _b) => sum(a), [x, y]);
  expect(toFlatArray(grads[1]!.toNdarray())).toEqual([0, 0]);
});

test("emitVjp called directly inside a trace seeds with a given cotangent", () => {
  const seed = vec(1, 10);
  const graph = trace((x: Tensor) => {
    const y = mul(x, 2);
    return emitVjp(x.trace!, y.value, [x.value], Tensor.concrete(seed).isSymbolic ? x : mul(seed, 1))[0]!;
  }, vec(5, 6));
  expect(toFlatArray(compile(graph).run(vec(5, 6))[0]!)).toEqual([2, 20]);
});
