/**
 * Kept copies of overwritten values: placed just before the overwrite, once the reverse visitor is done,
 * and removed again with the adjoint nodes that read them when nothing needs those. Graph checks (on in
 * every test) verify order and SSA after both.
 */
import { trace, vjp, copy, mulAssign, sum, compile, zerosArray, toFlatArray, type Tensor, type NdArray } from "@tsflux/graph";

function vector(values: number[]): NdArray {
  const a = zerosArray([values.length], "f64");
  values.forEach((v, i) => ((a.data as Float64Array)[i] = v));
  return a;
}

const x = vector([1, 2, 3]), c = vector([10, -20, 30]);
/** sum(x .* c), with the product taken in place: mulAssign's derivative for c reads the old s. */
const body = (xs: Tensor, cs: Tensor) => {
  const s = copy(xs);
  mulAssign(s, cs);
  return sum(s);
};

test("a copy needed by a derivative sits just before the node that overwrote its value", () => {
  const graph = trace((xs: Tensor, cs: Tensor) => vjp(body, [xs, cs]).grads, x, c);
  const overwrite = graph.nodes.findIndex((n) => n.op === "mulAssign");
  const kept = graph.nodes[overwrite - 1]!;
  expect(kept.op).toBe("copy");
  expect(kept.inputs[0]).toBe(graph.nodes[overwrite]!.inputs[0]);
  graph.nodes.forEach((n, i) => expect(n.index).toBe(i));
  const [dx, dc] = compile(graph).run(x, c);
  expect(Array.from(toFlatArray(dx!))).toEqual([10, -20, 30]); // d/dx sum(x .* c) = c
  expect(Array.from(toFlatArray(dc!))).toEqual([1, 2, 3]); // d/dc = x, read from the kept copy
});

test("a copy only an unneeded derivative read is removed with it", () => {
  const graph = trace((xs: Tensor, cs: Tensor) => vjp((v) => body(v!, cs), [xs]).grads[0], x, c);
  const overwrite = graph.nodes.findIndex((n) => n.op === "mulAssign");
  expect(graph.nodes.filter((n) => n.op === "copy" && n.inputs[0] === graph.nodes[overwrite]!.inputs[0])).toEqual([]);
  graph.nodes.forEach((n, i) => expect(n.index).toBe(i));
  expect(Array.from(toFlatArray(compile(graph).run(x, c)[0]!))).toEqual([10, -20, 30]);
});
