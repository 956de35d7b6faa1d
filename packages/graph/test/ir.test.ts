/** The printed IR is the review surface for emitted derivative graphs: pinned here, line by line. */
import ndarray from "ndarray";
import { trace, sum, vjp, jvp, matmul, add, tanh, exp, mul, toDot, verifyGraph, type Tensor } from "@tsflux/graph";

const f32 = (shape: number[]) => ndarray(new Float32Array(shape.reduce((a, b) => a * b, 1)), shape);

test("the gradient graph of sum(tanh(W x + b)) with respect to W and b", () => {
  const graph = trace((W: Tensor, b: Tensor, x: Tensor) => vjp((W, b) => sum(tanh(add(matmul(W, x), b))), [W, b]).grads, f32([2, 3]), f32([2]), f32([3, 1]));
  // W̄ = (1 - y²) xᵀ and b̄ = (1 - y²) reshaped to b's shape; the seed 1 is broadcast to y's shape
  expect(String(graph)).toBe(`{ lambda x0@0:f32[2,3] x1@0:f32[2] x2@0:f32[3,1] .
  let %3:f32[2,3] = copy x0@0
      %4:f32[2] = copy x1@0
      %5:f32[2,1] = matmul %3 x2@0
      %6:f32[2,1] = broadcastTo[shape=(2, 1)] %4
      %7:f32[2,1] = add %5 %6
      %8:f32[2,1] = tanh %7
      %9:f32[] = sum[dims=:] %8
      %11:f32[1,1] = reshape[shape=(1, 1)] 1.0:f32[]
      %12:f32[2,1] = broadcastTo[shape=(2, 1)] %11
      %13:f32[2,1] = mul %8 %8
      %15:f32[2,1] = sub 1.0:f32[2,1] %13
      %16:f32[2,1] = mul %12 %15
      %17:f32[2] = reshape[shape=(2,)] %16
      %18:f32[2,3] = matmul[transB] %16 x2@0
  in ( %18 %17 ) }`);
  verifyGraph(graph);
});

test("a forward-mode graph: d(eˣ x) = eˣ v x + eˣ v", () => {
  const graph = trace((x: Tensor, v: Tensor) => jvp((x) => mul(exp(x), x), [x], [v]).tangent, f32([3]), f32([3]));
  expect(String(graph)).toBe(`{ lambda x0@0:f32[3] x1@0:f32[3] .
  let %2:f32[3] = copy x0@0
      %3:f32[3] = copy x1@0
      %4:f32[3] = exp %2
      %5:f32[3] = mul %4 %2
      %6:f32[3] = mul %3 %4
      %7:f32[3] = mul %6 %2
      %8:f32[3] = mul %4 %3
      %9:f32[3] = add %7 %8
  in ( %9 ) }`);
});

test("printing is stable: tracing the same function twice gives the same text", () => {
  const f = (W: Tensor, x: Tensor) => vjp((W) => sum(tanh(matmul(W, x))), [W]).grads[0]!;
  expect(String(trace(f, f32([4, 3]), f32([3, 2])))).toBe(String(trace(f, f32([4, 3]), f32([3, 2]))));
});

test("toDot exports every node and edge", () => {
  const graph = trace((x: Tensor) => sum(tanh(x)), f32([3]));
  const dot = toDot(graph);
  expect(dot.startsWith("digraph tsflux {")).toBe(true);
  expect(dot).toContain('i0 [shape=ellipse, label="x0@0\\nf32[3]"];');
  expect(dot).toContain('n0 [shape=box, label="tanh\\n%1:f32[3]"];');
  expect(dot).toContain('n1 [shape=box, label="sum[dims=:]\\n%2:f32[]", peripheries=2];');
  expect(dot).toContain("i0 -> n0;");
  expect(dot).toContain("n0 -> n1;");
  expect(dot.trimEnd().endsWith("}")).toBe(true);
});

test("graph.stats(): nodes by op, FLOPs and arena bytes", () => {
  const graph = trace((W: Tensor, x: Tensor) => sum(tanh(matmul(W, x))), f32([32, 784]), f32([784, 8]));
  const stats = graph.stats();
  expect(stats.nodes).toEqual({ matmul: 1, tanh: 1, sum: 1 });
  // matmul 2·32·784·8, tanh 32·8, sum 32·8
  expect(stats.flops).toBe(2 * 32 * 784 * 8 + 256 + 256);
  // the matmul's and tanh's [32,8] f32 results; the scalar sum reuses the matmul's range once it is dead
  expect(stats.arenaBytes).toBe(1024 + 1024);
});
