/**
 * Buffer assignment by liveness: every stored value gets a byte range of one arena; a range is reused
 * once the last step reading its value has run. Plan outputs stay live to the end.
 */
import type { Value } from "../ir/graph";
import { BYTES } from "../dtype";
import { numel } from "../shape";
import type { Step } from "./schedule";
import { FreeRanges } from "./free-ranges";

export const ARENA_ALIGN = 64;

export interface ArenaLayout {
  /** Byte offset of each stored value. */
  readonly offsets: Map<Value, number>;
  readonly bytes: number;
}

export function byteSize(v: Value): number {
  return Math.max(ARENA_ALIGN, Math.ceil((numel(v.shape) * BYTES[v.dtype]) / ARENA_ALIGN) * ARENA_ALIGN);
}

/**
 * `stored(v)`: whether a step's written value needs arena space; `root(v)`: the value whose storage v
 * uses (itself, or the source of an alias).
 */
export function layoutArena(steps: readonly Step[], stored: (v: Value) => boolean, root: (v: Value) => Value, outputs: readonly Value[]): ArenaLayout {
  const lastUse = new Map<Value, number>();
  steps.forEach((step, i) => {
    for (const w of step.writes) if (!lastUse.has(w)) lastUse.set(w, i);
    for (const r of step.reads) lastUse.set(root(r), i);
  });
  for (const o of outputs) lastUse.set(root(o), Infinity);
  const dies: Value[][] = steps.map(() => []);
  for (const [v, last] of lastUse) if (last !== Infinity) dies[last]!.push(v);

  const offsets = new Map<Value, number>();
  const ranges = new FreeRanges();
  steps.forEach((step, i) => {
    for (const w of step.writes) if (stored(w) && !offsets.has(w)) offsets.set(w, ranges.take(byteSize(w)));
    for (const v of dies[i]!) if (offsets.has(v)) ranges.release(offsets.get(v)!, byteSize(v));
  });
  return { offsets, bytes: ranges.top };
}
