/**
 * Dense-layer fusion: a Float32 `matmul` whose only consumer is a fused elementwise group computing
 * `act(C .+ bias)` (a broadcastTo of a per-row bias, an add, and optionally relu) becomes one step that
 * runs the GEMM with the bias and activation applied in its store (kernels/wasm/gemm-epilogue.ts). The
 * matmul's own output is then never stored, and the layer is one pass over C instead of three.
 *
 * The fused result is bit-identical to the unfused plan: the epilogue adds the bias to the finished
 * product (one float32 rounding, as the add loop does) and relu is `x < 0 ? 0 : x` in both.
 */
// Structural types only: this file is imported by schedule.ts and plan.ts and imports nothing of theirs,
// so it stays outside the graph/ops import cycle.
import { numel } from "../shape";
import type { FloatArray, TypedArray } from "../dtype";
import { heapOffset } from "../memory";
import { gemm } from "../kernels/gemm";
import { wasmGemmParallel } from "../kernels/wasm/threads";
import { epilogueMode, type GemmActivation } from "../kernels/wasm/gemm-epilogue";
import { convEpilogueRunner } from "./conv-epilogue";
import { DROPPED } from "./dropped-step";

/** What this pass reads of an op block (ops/types' OpDef): its part in the chain, and whether it broadcasts. */
export interface OpFacts {
  readonly gemmRole?: "product" | "biasAdd" | "relu";
  readonly broadcast?: true;
}

/** What this pass reads of a graph value (ir/graph's Value). */
export interface ValueLike {
  readonly shape: readonly number[];
  readonly dtype: string;
  readonly producer?: NodeLike | null;
}

/** What this pass reads of a graph node (ir/graph's Node). */
export interface NodeLike {
  readonly op: string;
  readonly inputs: readonly ValueLike[];
  readonly output: ValueLike;
  readonly attrs: Readonly<Record<string, unknown>>;
}

/** A fused elementwise group as fusion.ts describes it. */
export interface GroupLike<V extends ValueLike, N extends NodeLike> {
  readonly members: readonly N[];
  readonly inputs: readonly { value: V; access: string }[];
  readonly outputs: readonly V[];
}

/** The schedule step of a fused Dense layer: writes act(op(A) op(B) .+ bias) into `writes[0]`. */
export interface GemmEpilogueStep<V extends ValueLike = ValueLike, N extends NodeLike = NodeLike> {
  readonly kind: "gemmEpilogue";
  readonly matmul: N;
  readonly bias: V;
  readonly act: GemmActivation;
  readonly reads: readonly V[];
  readonly writes: readonly V[];
}

/** The steps fuseGemmEpilogues looks at (schedule.ts's Step, structurally). */
export type StepLike<V extends ValueLike, N extends NodeLike> =
  | { readonly kind: "node"; readonly node: N; readonly reads: readonly V[]; readonly writes: readonly V[] }
  | { readonly kind: "group"; readonly group: GroupLike<V, N>; readonly reads: readonly V[]; readonly writes: readonly V[] }
  | { readonly kind: "constant"; readonly reads: readonly V[]; readonly writes: readonly V[] }
  | GemmEpilogueStep<V, N>;

/** bias and activation when `group` is exactly act(c .+ broadcastTo(bias)) with a per-row bias of c; else undefined. */
function matchEpilogue<V extends ValueLike, N extends NodeLike>(group: GroupLike<V, N>, c: V, facts: (node: N) => OpFacts): { bias: V; act: GemmActivation } | undefined {
  const [m] = c.shape;
  if (group.outputs.length !== 1 || group.inputs.length !== 2 || c.shape.length !== 2) return undefined;
  const biasInput = group.inputs.find((i) => i.value !== c);
  // a per-row bias is read down columns ("col"), or as a scalar when C has one row
  const perRow = biasInput !== undefined && (biasInput.access === "col" || (biasInput.access === "scalar" && m === 1));
  if (!perRow || !group.inputs.some((i) => i.value === c && i.access === "flat")) return undefined;
  const bias = biasInput.value;
  if (bias.dtype !== "f32" || numel(bias.shape) !== m) return undefined;
  const [first, second, third] = group.members;
  if (!first || !second || group.members.length > 3) return undefined;
  if (facts(first).broadcast !== true || first.inputs[0] !== bias) return undefined;
  const addsBias = facts(second).gemmRole === "biasAdd" && second.inputs.includes(c) && second.inputs.includes(first.output) && second.inputs.length === 2;
  if (!addsBias) return undefined;
  if (!third) return group.outputs[0] === second.output ? { bias, act: "identity" } : undefined;
  if (facts(third).gemmRole !== "relu" || third.inputs[0] !== second.output || group.outputs[0] !== third.output) return undefined;
  return { bias, act: "relu" };
}

let enabled = true;

/** Turns the Dense fusion on (default) or off for plans compiled from now on; returns the old setting. */
export function setDenseFusion(on: boolean): boolean {
  const old = enabled;
  enabled = on;
  return old;
}

/** A set of values, as this pass reads one (a ValueSet or a Set). */
export interface ValuesLike<V> {
  has(v: V): boolean;
}

/**
 * Replaces each (Float32 matmul step, bias+activation group step) pair by one GemmEpilogueStep at the
 * group's place, when the group is the matmul output's only reader (`reads` counts a value's readers)
 * and that output is no plan output. `facts` gives a node's op block (passed in, so this file stays
 * outside the ops import cycle).
 */
export function fuseGemmEpilogues<V extends ValueLike, N extends NodeLike, S extends StepLike<V, N>>(
  steps: readonly S[], reads: (v: V) => number, outputs: ValuesLike<V>, facts: (node: N) => OpFacts,
): Array<S | GemmEpilogueStep<V, N>> {
  const matmulSteps = new Map<V, number>();
  steps.forEach((s, i) => {
    if (s.kind === "node" && facts(s.node).gemmRole === "product" && s.node.output.dtype === "f32") matmulSteps.set(s.node.output as V, i);
  });
  if (matmulSteps.size === 0 || !enabled) return [...steps];
  const fused = new Array<S | GemmEpilogueStep<V, N> | typeof DROPPED | undefined>(steps.length);
  steps.forEach((s, i) => {
    if (fused[i] === undefined) fused[i] = s;
    if (s.kind !== "group" || s.group.members.length > 3) return; // matchEpilogue takes at most three members
    for (const input of s.group.inputs) {
      // the group reads the matmul's output, so a single reader is one of its members
      const at = matmulSteps.get(input.value);
      if (at === undefined || at > i || outputs.has(input.value) || reads(input.value) !== 1) continue;
      const match = matchEpilogue(s.group, input.value, facts);
      const step = steps[at]!;
      if (!match || step.kind !== "node") continue;
      const matmul = step.node;
      fused[i] = { kind: "gemmEpilogue", matmul, bias: match.bias, act: match.act, reads: [...(matmul.inputs as readonly V[]), match.bias], writes: s.group.outputs };
      fused[at] = DROPPED;
      break;
    }
  });
  return fused.filter((s): s is S | GemmEpilogueStep<V, N> => s !== DROPPED && s !== undefined);
}

/** A value's storage (ops/types.ts's Slot). */
interface SlotLike {
  data: TypedArray;
  offset: number;
}

/**
 * The runner of a GemmEpilogueStep (a conv's runs the conv kernel with the epilogue: conv-epilogue.ts). With every operand in the WebAssembly heap: the Wasm GEMM with the
 * epilogue (split between threads when large). Otherwise the matmul exactly as its own kernel would run
 * it (Wasm GEMM when A, B and C are in the heap, else the JS GEMM) into the output, then the bias and
 * activation in place with the same float32 roundings as the add and relu loops.
 */
export function gemmEpilogueRunner<V extends ValueLike>(step: GemmEpilogueStep<V>, slotOf: (v: V) => SlotLike): () => void {
  if (step.matmul.op === "conv") return convEpilogueRunner(step, slotOf);
  const { matmul, act } = step;
  const transA = matmul.attrs.transA === true, transB = matmul.attrs.transB === true;
  const [m, n] = matmul.output.shape as [number, number];
  const k = transA ? matmul.inputs[0]!.shape[0]! : matmul.inputs[0]!.shape[1]!;
  const a = slotOf(matmul.inputs[0]! as V), b = slotOf(matmul.inputs[1]! as V), bias = slotOf(step.bias), out = slotOf(step.writes[0]!);
  const relu = act === "relu", epi = epilogueMode(true, act);
  return () => {
    const ao = heapOffset(a.data, a.offset), bo = heapOffset(b.data, b.offset), co = heapOffset(out.data, out.offset);
    const inHeap = ao >= 0 && bo >= 0 && co >= 0;
    const biasOff = heapOffset(bias.data, bias.offset);
    if (inHeap && biasOff >= 0) {
      wasmGemmParallel(transA, transB, m, n, k, ao, bo, co, false, biasOff, epi);
      return;
    }
    if (inHeap) wasmGemmParallel(transA, transB, m, n, k, ao, bo, co, false);
    else gemm(transA, transB, m, n, k, a.data as FloatArray, a.offset, b.data as FloatArray, b.offset, out.data as FloatArray, out.offset, false);
    const c = out.data as FloatArray, bv = bias.data as FloatArray;
    for (let j = 0; j < n; j++) {
      for (let i = 0, at = out.offset + j * m; i < m; i++, at++) {
        const y = Math.fround(c[at]! + bv[bias.offset + i]!);
        c[at] = relu && y < 0 ? 0 : y;
      }
    }
  };
}
