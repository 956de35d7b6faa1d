/** The IR verifier rejects malformed graphs: reads before definitions, wrong recorded types, bad versions, arity. */
import { Graph, verifyGraph, GraphError, trace, exp, type Tensor, type OpName } from "@tsflux/graph";
import ndarray from "ndarray";

function twoInputs(): [Graph, ReturnType<Graph["addInput"]>, ReturnType<Graph["addInput"]>] {
  const g = new Graph();
  const a = g.addInput({ shape: [3], dtype: "f32" }, "a", { kind: "arg", argIndex: 0, path: "" });
  const b = g.addInput({ shape: [3], dtype: "f32" }, "b", { kind: "arg", argIndex: 1, path: "" });
  return [g, a, b];
}

test("a well-formed graph passes", () => {
  const [g, a, b] = twoInputs();
  g.outputs = [g.addNode("add", [a, b], {}, { shape: [3], dtype: "f32" })];
  expect(() => verifyGraph(g)).not.toThrow();
  expect(() => verifyGraph(trace((x: Tensor) => exp(x), ndarray(new Float32Array(2), [2])))).not.toThrow();
});

test("a recorded shape or dtype that the op's shape rule disagrees with", () => {
  const [g, a, b] = twoInputs();
  g.addNode("add", [a, b], {}, { shape: [4], dtype: "f32" });
  expect(() => verifyGraph(g)).toThrow("verify: node 0 (%2:f32[4] = add a@0 b@0): its shape rule gives f32[3], the graph says f32[4]");
  const [h, c, d] = twoInputs();
  h.addNode("mul", [c, d], {}, { shape: [3], dtype: "f64" });
  expect(() => verifyGraph(h)).toThrow(/its shape rule gives f32\[3\], the graph says f64\[3\]/);
});

test("a value read before it is defined (not SSA / not topological)", () => {
  const [g, a, b] = twoInputs();
  const s = g.addNode("add", [a, b], {}, { shape: [3], dtype: "f32" });
  g.addNode("exp", [s], {}, { shape: [3], dtype: "f32" });
  g.nodes.reverse();
  g.nodes.forEach((n, i) => ((n as { index: number }).index = i));
  expect(() => verifyGraph(g)).toThrow(GraphError);
  expect(() => verifyGraph(g)).toThrow(/reads %2 before it is defined/);
});

test("an in-place write must read the previous version of its buffer", () => {
  const [g, a, b] = twoInputs();
  g.addInPlaceNode("add", a, [b, b], {});
  expect(() => verifyGraph(g)).toThrow("verify: node 0 (a@1:f32[3] = add b@0 b@0): an in-place write to a@1 must read a@0 as its first input");
});

test("wrong arity and unknown ops", () => {
  const [g, a] = twoInputs();
  g.addNode("add", [a], {}, { shape: [3], dtype: "f32" });
  expect(() => verifyGraph(g)).toThrow("verify: node 0 (%2:f32[3] = add a@0): add takes 2 inputs, got 1");
  const [h, c] = twoInputs();
  h.addNode("frobnicate" as OpName, [c], {}, { shape: [3], dtype: "f32" }); // an unregistered name, as a deserialised graph could hold
  expect(() => verifyGraph(h)).toThrow("no op named 'frobnicate' is registered");
});

test("outputs must be defined in the graph", () => {
  const [g] = twoInputs();
  const [other, x] = twoInputs();
  g.outputs = [other.addNode("exp", [x], {}, { shape: [3], dtype: "f32" })];
  expect(() => verifyGraph(g)).toThrow(/output %2 is not defined in the graph/);
});
