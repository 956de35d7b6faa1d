// A Float32 Chain of Dense layers compiles into GEMMs with the bias and activation fused into their store
// (graph's exec/gemm-epilogue.ts): one step per identity or relu Dense, and the same outputs as the
// unfused plan, bit for bit.
import { compile, setDenseFusion, trace, type Tensor } from "@tsflux/graph";
import { Chain, Dense, relu, tanh } from "@tsflux/layers";
import { mulberry32, randomArray, seedFrom } from "@tsflux/graph/testing";

const rng = mulberry32(seedFrom("dense-fusion.test"));
const f32 = (shape: number[]) => randomArray(rng, shape, "f32", "unit");

test("Dense(relu), Dense(identity) fuse; Dense(tanh) does not; fused and unfused plans agree bit for bit", () => {
  const model = Chain(
    Dense(f32([12, 7]), f32([12]), relu),
    Dense(f32([9, 12]), f32([9]), tanh),
    Dense(f32([5, 9]), f32([5])),
  );
  const x = f32([7, 6]);
  const graph = trace((m: Chain, t: Tensor) => m.forward(t), model, x);
  const fused = compile(graph);
  expect(fused.steps.filter((s) => s.kind === "gemmEpilogue").map((s) => s.kind === "gemmEpilogue" && s.act)).toEqual(["relu", "identity"]);
  expect(fused.steps.filter((s) => s.kind === "node" && s.node.op === "matmul")).toHaveLength(1); // the tanh layer's
  const old = setDenseFusion(false);
  let unfused;
  try {
    unfused = compile(graph);
  } finally {
    setDenseFusion(old);
  }
  expect(unfused.steps.some((s) => s.kind === "gemmEpilogue")).toBe(false);
  const args = graph.inputs.map((v) => v.buffer.input!.source!);
  const a = fused.run(...args)[0]!.data, b = unfused.run(...args)[0]!.data;
  expect(a.length).toBe(5 * 6);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) throw new Error(`element ${i}: fused ${a[i]} != unfused ${b[i]}`);
});
