/**
 * Dense-layer fusion: a Float32 `matmul` whose only consumer is a fused elementwise group computing
 * `act(C .+ bias)` (a broadcastTo of a per-row bias, an add, and optionally relu) becomes one step that
 * runs the GEMM with the bias and activation applied in its store (kernels/wasm/gemm-epilogue.ts). The
 * matmul's own output is then never stored, and the layer is one pass over C instead of three.
 *
 * The fused result is bit-identical to the unfused plan: the epilogue adds the bias to the finished
 * product (one float32 rounding, as the add loop does) and relu is `x < 0 ? 0 : x` in both.
 */
import { consumers, type Node, type Value } from "../ir/graph";
import { numel } from "../shape";
import { opDef } from "../ops/registry";
import type { KernelFn, Slot } from "../ops/types";
import type { FloatArray } from "../dtype";
import type { MatmulAttrs } from "../ops/matmul";
import { heapOffset } from "../memory";
import { wasmGemmParallel } from "../kernels/wasm/threads";
import { epilogueMode, type GemmActivation } from "../kernels/wasm/gemm-epilogue";
import type { FusedGroup } from "./fusion";

/** The schedule step of a fused Dense layer: writes act(op(A) op(B) .+ bias) into `writes[0]`. */
export interface GemmEpilogueStep {
  readonly kind: "gemmEpilogue";
  readonly matmul: Node;
  readonly bias: Value;
  readonly act: GemmActivation;
  readonly reads: readonly Value[];
  readonly writes: readonly Value[];
}

/** The steps fuseGemmEpilogues looks at (schedule.ts's Step, structurally). */
type AnyStep =
  | { readonly kind: "node"; readonly node: Node; readonly reads: readonly Value[]; readonly writes: readonly Value[] }
  | { readonly kind: "group"; readonly group: FusedGroup; readonly reads: readonly Value[]; readonly writes: readonly Value[] }
  | { readonly kind: string; readonly reads: readonly Value[]; readonly writes: readonly Value[] };

/** bias and activation when `group` is exactly act(c .+ broadcastTo(bias)) with a per-row bias of c; else undefined. */
function matchEpilogue(group: FusedGroup, c: Value): { bias: Value; act: GemmActivation } | undefined {
  const [m] = c.shape;
  if (group.outputs.length !== 1 || group.inputs.length !== 2 || c.shape.length !== 2) return undefined;
  const biasInput = group.inputs.find((i) => i.value !== c);
  // a per-row bias is read down columns ("col"), or as a scalar when C has one row
  const perRow = biasInput !== undefined && (biasInput.access === "col" || (biasInput.access === "scalar" && m === 1));
  if (!perRow || !group.inputs.some((i) => i.value === c && i.access === "flat")) return undefined;
  const bias = biasInput!.value;
  if (bias.dtype !== "f32" || numel(bias.shape) !== m) return undefined;
  const [first, second, third] = group.members;
  if (!first || !second || group.members.length > 3) return undefined;
  if (first.op !== "broadcastTo" || first.inputs[0] !== bias) return undefined;
  const addsBias = second.op === "add" && second.inputs.includes(c) && second.inputs.includes(first.output) && second.inputs.length === 2;
  if (!addsBias) return undefined;
  if (!third) return group.outputs[0] === second.output ? { bias, act: "identity" } : undefined;
  if (third.op !== "relu" || third.inputs[0] !== second.output || group.outputs[0] !== third.output) return undefined;
  return { bias, act: "relu" };
}

/**
 * Replaces each (Float32 matmul step, bias+activation group step) pair by one GemmEpilogueStep at the
 * group's place, when the group is the matmul output's only reader and that output is no plan output.
 */
export function fuseGemmEpilogues<S extends AnyStep>(steps: readonly S[], live: readonly Node[], outputs: ReadonlySet<Value>): Array<S | GemmEpilogueStep> {
  const uses = consumers(live);
  const matmulSteps = new Map<Value, number>();
  steps.forEach((s, i) => {
    if (s.kind === "node" && "node" in s && s.node.op === "matmul" && s.node.output.dtype === "f32") matmulSteps.set(s.node.output, i);
  });
  if (matmulSteps.size === 0) return [...steps];
  const replaced = new Map<number, GemmEpilogueStep>();
  const dropped = new Set<number>();
  steps.forEach((s, i) => {
    if (s.kind !== "group" || !("group" in s)) return;
    for (const input of s.group.inputs) {
      const at = matmulSteps.get(input.value);
      if (at === undefined || at > i || outputs.has(input.value)) continue;
      const readers = uses.get(input.value) ?? [];
      if (readers.length !== 1 || !s.group.members.includes(readers[0]!)) continue;
      const match = matchEpilogue(s.group, input.value);
      if (!match) continue;
      const matmul = input.value.producer!;
      replaced.set(i, { kind: "gemmEpilogue", matmul, bias: match.bias, act: match.act, reads: [...matmul.inputs, match.bias], writes: s.group.outputs });
      dropped.add(at);
      break;
    }
  });
  return steps.flatMap((s, i) => (dropped.has(i) ? [] : [replaced.get(i) ?? s]));
}

/**
 * The runner of a GemmEpilogueStep: the Wasm GEMM with the epilogue (two threads when large) when every
 * operand is in the WebAssembly heap; otherwise the matmul kernel into the output, then the bias and
 * activation in place (the same float32 roundings).
 */
export function gemmEpilogueRunner(step: GemmEpilogueStep, slotOf: (v: Value) => Slot): () => void {
  const { matmul, act } = step;
  const { transA, transB } = matmul.attrs as unknown as MatmulAttrs;
  const [m, n] = matmul.output.shape as [number, number];
  const k = transA ? matmul.inputs[0]!.shape[0]! : matmul.inputs[0]!.shape[1]!;
  const kernel: KernelFn = opDef("matmul").kernel({ attrs: matmul.attrs, inputs: matmul.inputs, output: matmul.output });
  const a = slotOf(matmul.inputs[0]!), b = slotOf(matmul.inputs[1]!), bias = slotOf(step.bias), out = slotOf(step.writes[0]!);
  const relu = act === "relu", epi = epilogueMode(true, act);
  return () => {
    const ao = heapOffset(a.data, a.offset), bo = heapOffset(b.data, b.offset), co = heapOffset(out.data, out.offset);
    const biasOff = heapOffset(bias.data, bias.offset);
    if (ao >= 0 && bo >= 0 && co >= 0 && biasOff >= 0) {
      wasmGemmParallel(transA, transB, m, n, k, ao, bo, co, false, biasOff, epi);
      return;
    }
    kernel(out, [a, b]);
    const c = out.data as FloatArray, bv = bias.data as FloatArray;
    for (let j = 0; j < n; j++) {
      for (let i = 0, at = out.offset + j * m; i < m; i++, at++) {
        const y = Math.fround(c[at]! + bv[bias.offset + i]!);
        c[at] = relu && y < 0 ? 0 : y;
      }
    }
  };
}
