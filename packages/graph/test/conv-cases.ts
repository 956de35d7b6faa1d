/** Sweep cases of the convolution and pooling ops: stride, per-side padding, dilation, groups, flip; 1-d to 3-d. */
import type { AttrsOf } from "@tsflux/graph";
import type { OpCase } from "./op-cases";
import {
  convRef, convDataRef, convFilterRef, maxpoolRef, maxpoolGatherRef, maxpoolScatterRef, meanpoolRef, meanpoolAdjointRef,
  type ConvSpec, type PoolSpec,
} from "./conv-reference";

interface ConvSample { label: string; x: number[]; w: number[]; y: number[]; spec: ConvSpec }

const CONVS: ConvSample[] = [
  { label: "1-d, stride 2, pad (1, 2)", x: [7, 2, 2], w: [3, 2, 3], y: [4, 3, 2], spec: { stride: [2], pad: [1, 2], dilation: [1], groups: 1, flip: true } },
  {
    label: "2-d, stride (1, 2), pad (1, 0, 1, 1), dilation (2, 1), groups 2",
    x: [6, 5, 4, 2], w: [3, 2, 2, 4], y: [3, 3, 4, 2], spec: { stride: [1, 2], pad: [1, 0, 1, 1], dilation: [2, 1], groups: 2, flip: true },
  },
  { label: "2-d cross-correlation, pad 1", x: [4, 4, 2, 1], w: [3, 3, 2, 2], y: [4, 4, 2, 1], spec: { stride: [1, 1], pad: [1, 1, 1, 1], dilation: [1, 1], groups: 1, flip: false } },
  { label: "3-d", x: [4, 3, 3, 2, 1], w: [2, 2, 2, 2, 2], y: [3, 2, 2, 2, 1], spec: { stride: [1, 1, 1], pad: [0, 0, 0, 0, 0, 0], dilation: [1, 1, 1], groups: 1, flip: true } },
];

const spatial = (shape: number[]) => shape.slice(0, shape.length - 2);

export const convCases: OpCase<"conv">[] = CONVS.map(({ label, x, w, spec }) => ({
  label, inputs: [{ shape: x }, { shape: w }], attrs: spec, reference: ([a, b]) => convRef(a!, b!, spec),
}));

export const convDataCases: OpCase<"convData">[] = CONVS.map(({ label, x, w, y, spec }) => ({
  label, inputs: [{ shape: y }, { shape: w }], attrs: { ...spec, spatial: spatial(x) }, reference: ([dy, b]) => convDataRef(dy!, b!, x, spec),
}));

export const convFilterCases: OpCase<"convFilter">[] = CONVS.map(({ label, x, w, y, spec }) => ({
  label, inputs: [{ shape: x }, { shape: y }], attrs: { ...spec, kernel: spatial(w) }, reference: ([a, dy]) => convFilterRef(a!, dy!, w, spec),
}));

interface PoolSample { label: string; x: number[]; y: number[]; spec: PoolSpec }

const POOLS: PoolSample[] = [
  { label: "2x2 window", x: [5, 4, 2, 2], y: [2, 2, 2, 2], spec: { window: [2, 2], stride: [2, 2], pad: [0, 0, 0, 0] } },
  { label: "3x2 window, stride (2, 1), pad (1, 1, 0, 1)", x: [5, 4, 2, 1], y: [3, 4, 2, 1], spec: { window: [3, 2], stride: [2, 1], pad: [1, 1, 0, 1] } },
  { label: "1-d overlapping windows", x: [7, 3, 2], y: [3, 3, 2], spec: { window: [3], stride: [2], pad: [0, 0] } },
];

const poolCases = <K extends "maxpool" | "meanpool">(ref: (x: Parameters<typeof maxpoolRef>[0], p: PoolSpec) => ReturnType<typeof maxpoolRef>): OpCase<K>[] =>
  POOLS.map(({ label, x, spec }) => ({ label, inputs: [{ shape: x }], attrs: spec as AttrsOf[K], reference: ([a]) => ref(a!, spec) }));

export const maxpoolCases = poolCases<"maxpool">(maxpoolRef);
export const meanpoolCases = poolCases<"meanpool">(meanpoolRef);

export const maxpoolGatherCases: OpCase<"maxpoolGather">[] = POOLS.map(({ label, x, spec }) => ({
  label, inputs: [{ shape: x }, { shape: x }], attrs: spec, reference: ([v, a]) => maxpoolGatherRef(v!, a!, spec),
}));

export const maxpoolScatterCases: OpCase<"maxpoolScatter">[] = POOLS.map(({ label, x, y, spec }) => ({
  label, inputs: [{ shape: y }, { shape: x }], attrs: spec, reference: ([dy, a]) => maxpoolScatterRef(dy!, a!, spec),
}));

export const meanpoolAdjointCases: OpCase<"meanpoolAdjoint">[] = POOLS.map(({ label, x, y, spec }) => ({
  label, inputs: [{ shape: y }], attrs: { ...spec, spatial: spatial(x) }, reference: ([dy]) => meanpoolAdjointRef(dy!, x, spec),
}));
