/**
 * Conv-layer fusion: a `conv` whose only reader is a fused elementwise group computing
 * `act(conv(x, w) .+ broadcastTo(b))`, with a per-channel bias b (every dim 1 but the channel dim) and
 * act identity or relu, becomes one step: the conv kernel adds the bias and applies the activation to
 * each chunk of its output as it finishes it (kernels/conv-bias.ts). Neither the conv's own output nor
 * the broadcast bias is then stored, and the layer makes one pass over its output instead of three.
 *
 * The step is a GemmEpilogueStep whose product node is the conv; the fused result is bit-identical to
 * the unfused plan (one float32 rounding for the add, relu as `x < 0 ? 0 : x`).
 */
import { numel } from "../shape";
import type { FloatDType } from "../dtype";
import type { Slot } from "../ops/types";
import type { ConvAttrs } from "../ops/conv-geometry";
import { convGeometry } from "../ops/conv-geometry";
import { convKernel } from "../kernels/conv";
import type { GemmActivation } from "../kernels/wasm/gemm-epilogue";
import { DROPPED } from "./dropped-step";
import type { GemmEpilogueStep, GroupLike, NodeLike, OpFacts, StepLike, ValueLike, ValuesLike } from "./gemm-epilogue";

let enabled = true;

/** Turns the conv-layer fusion on (default) or off for plans compiled from now on; returns the old setting. */
export function setConvFusion(on: boolean): boolean {
  const old = enabled;
  enabled = on;
  return old;
}

/** Whether `bias` holds one value per channel of `y` (WHCN-like: channel dim second to last), every other dim 1. */
function perChannel(bias: ValueLike, y: ValueLike): boolean {
  const ch = y.shape.length - 2;
  if (bias.shape.length > y.shape.length || numel(bias.shape) !== y.shape[ch]) return false;
  return bias.shape.every((d, i) => d === 1 || i === ch);
}

/**
 * The bias and activation when `group` is exactly act(c .+ bb): bb a per-channel broadcast that is either
 * the group's first member or a broadcastTo step before it (`step`, whose output the group reads flat).
 */
function matchConvEpilogue<V extends ValueLike, N extends NodeLike>(
  group: GroupLike<V, N>, c: V, facts: (node: N) => OpFacts,
): { step?: N; bias: V; act: GemmActivation } | undefined {
  const inGroup = group.members[0] !== undefined && facts(group.members[0]).broadcast === true ? group.members[0] : undefined;
  const [addNode, reluNode, extra] = group.members.slice(inGroup ? 1 : 0);
  if (!addNode || extra || group.outputs.length !== 1 || group.inputs.length !== 2) return undefined;
  if (facts(addNode).gemmRole !== "biasAdd" || addNode.inputs.length !== 2 || !addNode.inputs.includes(c)) return undefined;
  const other = addNode.inputs[0] === c ? addNode.inputs[1]! : addNode.inputs[0]!;
  const broadcast = inGroup ?? (other.producer as N | null | undefined);
  if (!broadcast || broadcast.output !== other || facts(broadcast).broadcast !== true) return undefined;
  const bias = broadcast.inputs[0]! as V;
  if (bias.dtype !== c.dtype || !perChannel(bias, c)) return undefined;
  const reads = group.inputs.every((i) => (i.value === c && i.access === "flat") || (inGroup ? i.value === bias : i.value === other && i.access === "flat"));
  if (!reads) return undefined;
  const step = inGroup ? undefined : broadcast;
  if (!reluNode) return group.outputs[0] === addNode.output ? { step, bias, act: "identity" } : undefined;
  if (facts(reluNode).gemmRole !== "relu" || reluNode.inputs[0] !== addNode.output || group.outputs[0] !== reluNode.output) return undefined;
  return { step, bias, act: "relu" };
}

/**
 * Replaces each conv step and bias+activation group step (and the broadcastTo step the group reads, if
 * any) by one GemmEpilogueStep at the group's place, when the group is the only reader of the conv's
 * output (and of the broadcast's) and neither is a plan output.
 */
export function fuseConvEpilogues<V extends ValueLike, N extends NodeLike, S extends StepLike<V, N>>(
  steps: readonly S[], reads: (v: V) => number, outputs: ValuesLike<V>, facts: (node: N) => OpFacts,
): Array<S | GemmEpilogueStep<V, N>> {
  if (!enabled || !steps.some((s) => s.kind === "node" && s.node.op === "conv")) return [...steps];
  const nodeStep = new Map<ValueLike, number>();
  steps.forEach((s, i) => {
    if (s.kind === "node" && (s.node.op === "conv" || facts(s.node).broadcast === true)) nodeStep.set(s.node.output, i);
  });
  const onlyReader = (v: V, i: number): boolean => reads(v) === 1 && !outputs.has(v) && nodeStep.get(v)! < i;
  const fused = new Array<S | GemmEpilogueStep<V, N> | typeof DROPPED | undefined>(steps.length);
  steps.forEach((s, i) => {
    if (fused[i] === undefined) fused[i] = s;
    if (s.kind !== "group" || s.group.members.length > 3) return;
    for (const input of s.group.inputs) {
      const conv = input.value.producer as N | null | undefined;
      if (!conv || conv.op !== "conv" || !nodeStep.has(input.value) || !onlyReader(input.value, i)) continue;
      const match = matchConvEpilogue(s.group, input.value, facts);
      if (!match || (match.step && !(nodeStep.has(match.step.output) && onlyReader(match.step.output as V, i)))) continue;
      fused[i] = { kind: "gemmEpilogue", matmul: conv, bias: match.bias, act: match.act, reads: [...(conv.inputs as readonly V[]), match.bias], writes: s.group.outputs };
      fused[nodeStep.get(input.value)!] = DROPPED;
      if (match.step) fused[nodeStep.get(match.step.output)!] = DROPPED;
      break;
    }
  });
  return fused.filter((s): s is S | GemmEpilogueStep<V, N> => s !== DROPPED && s !== undefined);
}

/** A conv node's attributes, read from the structural node. */
function convAttrsOf(a: Readonly<Record<string, unknown>>): ConvAttrs {
  const dims = (v: unknown) => v as readonly number[];
  return { stride: dims(a.stride), pad: dims(a.pad), dilation: dims(a.dilation), groups: a.groups as number, flip: a.flip === true };
}

/** The runner of a fused conv step: the conv kernel with the bias and activation in its store. */
export function convEpilogueRunner<V extends ValueLike>(step: GemmEpilogueStep<V>, slotOf: (v: V) => Slot): () => void {
  const conv = step.matmul;
  const [xv, wv] = conv.inputs as readonly V[];
  const run = convKernel(convGeometry(xv!.shape, wv!.shape, convAttrsOf(conv.attrs)), conv.output.dtype as FloatDType, step.act);
  const x = slotOf(xv!), w = slotOf(wv!), b = slotOf(step.bias), y = slotOf(step.writes[0]!);
  return () => run(y, x, w, b);
}
