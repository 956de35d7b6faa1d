/**
 * Relu's derivative fused into max pooling's adjoint. A relu layer followed by max pooling gives, in
 * the backward pass, s = maxpoolScatter(dy, y) and then the group where(y > 0, s, 0). s is dy at each
 * window's first maximum and 0 elsewhere, and at that maximum y is the window's maximum, so the pair is
 * the scatter with dy kept only where the window's maximum is > 0. When the 2x2 pooling kernels
 * (kernels/pool-2x2.ts) run the scatter and nothing else reads s, the two steps become one: the scatter
 * kernel with the mask (one pass instead of two, split between threads like the scatter). The result is
 * bit-identical (dy or +0 at every element).
 */
import type { Node, Value } from "../ir/graph";
import type { Slot } from "../ops/types";
import type { PoolAttrs } from "../ops/conv-geometry";
import { opDef } from "../ops/table";
import { numel } from "../shape";
import { constantOf } from "./fusion";
import { MAX_POOL_FLOOR_F32, maxPool2x2Fits, maxPool2x2For } from "../kernels/pool-2x2";
import type { FusedGroup } from "./fusion";
import { DROPPED } from "./dropped-step";

/** The fused step: writes where(y > 0, maxpoolScatter(dy, y), 0), y being the scatter's second input. */
export interface PoolReluAdjointStep {
  readonly kind: "poolReluAdjoint";
  readonly scatter: Node;
  readonly reads: readonly Value[];
  readonly writes: readonly Value[];
}

/** The steps this pass reads: nodes and groups (others pass through). */
type StepIn = { readonly kind: string; readonly reads: readonly Value[]; readonly writes: readonly Value[]; readonly node?: Node; readonly group?: FusedGroup };

const poolAttrsOf = (a: Readonly<Record<string, unknown>>): PoolAttrs =>
  ({ window: a.window as number[], stride: a.stride as number[], pad: a.pad as number[] });

/** The scatter node when `group` is exactly where(y > 0, s, 0) with s = maxpoolScatter(dy, y) on the 2x2 kernels. */
function matchGroup(group: FusedGroup): Node | undefined {
  const [greater, where, extra] = group.members;
  if (!greater || !where || extra || greater.op !== "greater" || where.op !== "where" || group.outputs.length !== 1 || group.outputs[0] !== where.output) return undefined;
  const [y, zero] = greater.inputs, [mask, s, other] = where.inputs;
  if (!y || constantOf(zero!) !== 0 || mask !== greater.output || constantOf(other!) !== 0 || !s) return undefined;
  const scatter = s.producer;
  if (!scatter || scatter.op !== "maxpoolScatter" || scatter.inputs[1] !== y || !sameShape(y, where.output)) return undefined;
  return maxPool2x2Fits(y.shape, y.dtype, poolAttrsOf(scatter.attrs)) ? scatter : undefined;
}

const sameShape = (a: Value, b: Value) => a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);

/** Replaces each matching scatter step and mask group by one PoolReluAdjointStep at the group's place (`reads` counts a value's readers). */
export function fusePoolReluAdjoints<S extends StepIn>(steps: readonly S[], reads: (v: Value) => number, outputs: { has(v: Value): boolean }): Array<S | PoolReluAdjointStep> {
  const scatterStep = new Map<Value, number>();
  steps.forEach((s, i) => {
    if (s.kind === "node" && s.node!.op === "maxpoolScatter") scatterStep.set(s.node!.output, i);
  });
  if (scatterStep.size === 0) return [...steps];
  const fused = new Array<S | PoolReluAdjointStep | typeof DROPPED | undefined>(steps.length);
  steps.forEach((s, i) => {
    if (fused[i] === undefined) fused[i] = s;
    if (s.kind !== "group") return;
    const scatter = matchGroup(s.group!);
    const at = scatter && scatterStep.get(scatter.output);
    if (!scatter || at === undefined || at > i || reads(scatter.output) !== 1 || outputs.has(scatter.output)) return;
    fused[i] = { kind: "poolReluAdjoint", scatter, reads: scatter.inputs, writes: s.writes };
    fused[at] = DROPPED;
  });
  return fused.filter((s): s is S | PoolReluAdjointStep => s !== DROPPED && s !== undefined);
}

/** The runner of a fused step: the 2x2 scatter kernel with the mask, or (operands outside the heap) the scatter's own kernel then the mask. */
export function poolReluAdjointRunner(step: PoolReluAdjointStep, slotOf: (v: Value) => Slot): () => void {
  const { scatter } = step;
  const [dyv, yv] = scatter.inputs as [Value, Value];
  const two = maxPool2x2For(yv.shape, yv.dtype, poolAttrsOf(scatter.attrs))!;
  const dy = slotOf(dyv), y = slotOf(yv), out = slotOf(step.writes[0]!);
  const plain = opDef(scatter.op).kernel({ attrs: scatter.attrs, inputs: scatter.inputs, output: scatter.output });
  const n = numel(yv.shape);
  return () => {
    if (two.scatter(out, dy, y, MAX_POOL_FLOOR_F32, true)) return;
    plain(out, [dy, y]);
    for (let i = 0; i < n; i++) if (!(y.data[y.offset + i]! > 0)) out.data[out.offset + i] = 0;
  };
}
