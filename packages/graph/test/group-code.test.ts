/**
 * Generated code of fused groups is cached under groupCodeKey: groups with one key must compile to the
 * same JS loop and the same Wasm module. Groups come from every SIMD op and a few transcendental ones,
 * in Float32 and Float64, flat and with column, row and scalar broadcasts, and from gradient graphs.
 */
import {
  trace, vjp, add, sub, mul, div, max, min, neg, abs, sqrt, abs2, relu, tanh, sigmoid, exp, where, less, greater, equal, sum,
  zerosArray, type Tensor, type Graph,
} from "@tsflux/graph";
import { schedule } from "../src/exec/schedule";
import { groupLoopSpec, type FusedGroup } from "../src/exec/fusion";
import { groupCodeKey } from "../src/exec/group-code";
import { fusedModuleBytes, supportedInWasm } from "../src/kernels/wasm/fused";

const BODIES: Record<string, (a: Tensor, b: Tensor) => Tensor> = {
  add, sub, mul, div, max, min,
  neg: (a, b) => add(neg(a), b), abs: (a, b) => mul(abs(a), b), sqrt: (a) => sqrt(abs(a)), abs2: (a, b) => sub(abs2(a), b),
  relu: (a, b) => relu(add(a, b)), tanh: (a, b) => tanh(mul(a, b)), sigmoid: (a, b) => sigmoid(sub(b, a)), exp: (a) => exp(neg(a)),
  less: (a, b) => where(less(a, b), a, b), greater: (a, b) => where(greater(a, 0.5), mul(a, b), sub(a, b)),
  equal: (a, b) => where(equal(a, b), add(a, 1), b),
  swapped: (a, b) => sub(b, a), constants: (a, b) => add(mul(a, 2), mul(b, 3)), reused: (a, b) => mul(add(a, b), add(a, b)),
};

const LAYOUTS: [string, number[], number[]][] = [["flat", [5, 7], [5, 7]], ["col", [13, 6], [13]], ["row", [7, 9], [1, 9]], ["scalar", [4, 3], [1]]];

function groupsOf(graph: Graph): FusedGroup[] {
  return schedule(graph, graph.outputs).steps.flatMap((s) => (s.kind === "group" ? [s.group] : []));
}

function allGroups(): FusedGroup[] {
  const groups: FusedGroup[] = [];
  for (const dtype of ["f32", "f64"] as const) {
    for (const [, sa, sb] of LAYOUTS) {
      for (const body of Object.values(BODIES)) {
        const a = zerosArray(sa, dtype), b = zerosArray(sb, dtype);
        groups.push(...groupsOf(trace(body, a, b)));
        // the gradient of the body: its adjoint loops, with broadcasts summed back
        groups.push(...groupsOf(trace((x: Tensor, y: Tensor) => vjp((p, q) => sum(body(p!, q!)), [x, y]).grads, a, b)));
      }
    }
  }
  return groups;
}

test("groups with the same key generate the same JS loop and the same Wasm module", () => {
  const groups = allGroups();
  const byKey = new Map<string, FusedGroup>();
  let compared = 0;
  for (const g of groups) {
    const key = groupCodeKey(g);
    const first = byKey.get(key);
    if (!first) {
      byKey.set(key, g);
      continue;
    }
    compared++;
    expect({ key, spec: { ...groupLoopSpec(g), rows: undefined } }).toEqual({ key, spec: { ...groupLoopSpec(first), rows: undefined } });
    expect(supportedInWasm(g)).toBe(supportedInWasm(first));
    if (supportedInWasm(g)) expect({ key, bytes: Array.from(fusedModuleBytes(g)) }).toEqual({ key, bytes: Array.from(fusedModuleBytes(first)) });
  }
  // the same structure recurs (forward and adjoint loops of one body in several shapes), and many differ
  expect(compared).toBeGreaterThan(50);
  expect(byKey.size).toBeGreaterThan(100);
});
