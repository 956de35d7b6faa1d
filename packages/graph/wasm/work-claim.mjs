// Work shared by the threads that run the same kernel call (the caller, thread 0, and worker lanes
// 1..threads-1): items [0, total) are cut into chunks, and the chunks into one region per thread, in
// order. A thread claims chunks of its own region first, then of the others (the next thread's first),
// by an atomic add on the region's counter (claim i of a region is good while i < the region's size).
// Each thread thus keeps to the same part of the batch from one call to the next, so the data it made
// is still in its own cache, and a late or missing thread's region is done by the others.
import { get, set, i32, inc, whileLoop } from "./wat.mjs";

/** Threads a call can be shared by (the word block holds one counter each). */
export const MAX_CLAIM_THREADS = 16;

/** Locals claimedItems needs (i32). */
export const CLAIM_LOCALS = ["chunks", "region", "regionAt", "regionSize", "visited", "claim"];

/**
 * `body` for every item (local `item`, up to `itemEnd`) of the chunks this call claims; `counters` is the
 * address of the region counters, `threads` and `thread` locals holding the thread count and this
 * thread's number.
 */
export function claimedItems({ counters, item, itemEnd, chunk, total, threads, thread }, body) {
  const regionEdge = (r) => `(i32.div_u (i32.mul ${r} ${get("chunks")}) ${get(threads)})`;
  return [
    set("chunks", `(i32.div_u (i32.add ${get(total)} (i32.sub ${get(chunk)} ${i32(1)})) ${get(chunk)})`),
    set("visited", i32(0)),
    set("region", get(thread)),
    whileLoop("regions", `(i32.lt_u ${get("visited")} ${get(threads)})`, [
      set("regionAt", regionEdge(get("region"))),
      set("regionSize", `(i32.sub ${regionEdge(`(i32.add ${get("region")} ${i32(1)})`)} ${get("regionAt")})`),
      "(block $claimed_end (loop $claim",
      set("claim", `(i32.atomic.rmw.add (i32.add ${counters} (i32.shl ${get("region")} ${i32(2)})) ${i32(1)})`),
      `(br_if $claimed_end (i32.ge_u ${get("claim")} ${get("regionSize")}))`,
      set(item, `(i32.mul (i32.add ${get("regionAt")} ${get("claim")}) ${get(chunk)})`),
      set(itemEnd, `(i32.add ${get(item)} ${get(chunk)})`),
      `(if (i32.gt_u ${get(itemEnd)} ${get(total)}) (then ${set(itemEnd, get(total))}))`,
      whileLoop(`${item}_claimed`, `(i32.lt_u ${get(item)} ${get(itemEnd)})`, [...body, inc(item, i32(1))]),
      "(br $claim)))",
      inc("region", i32(1)),
      `(if (i32.ge_u ${get("region")} ${get(threads)}) (then ${set("region", i32(0))}))`,
      inc("visited", i32(1)),
    ]),
  ];
}
