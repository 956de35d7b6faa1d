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
  /** The values given arena storage, in the order they were placed. */
  readonly stored: readonly Value[];
  /** The byte offset of each stored value, by value id (-1 for a value with no storage here). */
  readonly offsetOf: Float64Array;
  readonly bytes: number;
}

export function byteSize(v: Value): number {
  return Math.max(ARENA_ALIGN, Math.ceil((numel(v.shape) * BYTES[v.dtype]) / ARENA_ALIGN) * ARENA_ALIGN);
}

/**
 * `stored(v)`: whether a step's written value needs arena space; `root(v)`: the value whose storage v
 * uses (itself, or the source of an alias, which is older and so has a smaller id). Per-value facts are
 * kept in arrays indexed by value id, and the values dying after each step are bucketed by step.
 */
export function layoutArena(steps: readonly Step[], stored: (v: Value) => boolean, root: (v: Value) => Value, outputs: readonly Value[]): ArenaLayout {
  // indexed loops, as in schedule.ts (no iterator results while the engine has not optimized this)
  let maxId = 0;
  for (let i = 0; i < steps.length; i++) {
    const { writes, reads } = steps[i]!;
    for (let k = 0; k < writes.length; k++) maxId = Math.max(maxId, writes[k]!.id);
    for (let k = 0; k < reads.length; k++) maxId = Math.max(maxId, reads[k]!.id);
  }
  for (let k = 0; k < outputs.length; k++) maxId = Math.max(maxId, outputs[k]!.id);
  const end = steps.length; // the last use of values that live to the end
  const lastUse = new Int32Array(maxId + 1).fill(-1);
  const seen: Value[] = [];
  const use = (v: Value, i: number) => {
    if (lastUse[v.id] === -1) seen.push(v);
    lastUse[v.id] = i;
  };
  for (let i = 0; i < end; i++) {
    const { writes, reads } = steps[i]!;
    for (let k = 0; k < writes.length; k++) if (lastUse[writes[k]!.id] === -1) use(writes[k]!, i);
    for (let k = 0; k < reads.length; k++) use(root(reads[k]!), i);
  }
  for (let k = 0; k < outputs.length; k++) use(root(outputs[k]!), end);
  // the values whose last use is step i are dying[firstDying[i] .. firstDying[i + 1])
  const firstDying = new Int32Array(end + 2);
  for (let k = 0; k < seen.length; k++) firstDying[lastUse[seen[k]!.id]! + 1]!++;
  for (let i = 1; i < firstDying.length; i++) firstDying[i]! += firstDying[i - 1]!;
  const next = firstDying.slice(), dying = new Array<Value>(seen.length);
  for (let k = 0; k < seen.length; k++) dying[next[lastUse[seen[k]!.id]!]!++] = seen[k]!;

  const placed: Value[] = [];
  const offsetOf = new Float64Array(maxId + 1).fill(-1);
  const ranges = new FreeRanges();
  for (let i = 0; i < end; i++) {
    const writes = steps[i]!.writes;
    for (let k = 0; k < writes.length; k++) {
      const w = writes[k]!;
      if (offsetOf[w.id]! >= 0 || !stored(w)) continue;
      offsetOf[w.id] = ranges.take(byteSize(w));
      placed.push(w);
    }
    for (let k = firstDying[i]!; k < firstDying[i + 1]!; k++) {
      const v = dying[k]!;
      if (offsetOf[v.id]! >= 0) ranges.release(offsetOf[v.id]!, byteSize(v));
    }
  }
  return { stored: placed, offsetOf, bytes: ranges.top };
}
