// Work shared by the calling thread and a worker lane that run the same kernel call: items [0, total)
// are cut into chunks, and every claim bumps a shared counter (an atomic add on the word at `counter`)
// and is good while fewer than all chunks were claimed. The caller takes chunks from the front and the
// worker (`back` set) from the back, so each thread keeps to its own end of the batch, and the data it
// made in the previous call is still in its own cache; only the chunks in the middle go to whichever
// thread gets there first (a late worker just does fewer).
import { get, set, i32, inc, whileLoop } from "./wat.mjs";

/** Locals claimedItems needs (i32). */
export const CLAIM_LOCALS = ["claims", "mine", "chunks", "chunkAt"];

/** `body` for every item (local `item`, up to `itemEnd`) of the chunks this call claims. */
export function claimedItems({ counter, item, itemEnd, chunk, total, back }, body) {
  return [
    set("chunks", `(i32.div_u (i32.add ${get(total)} (i32.sub ${get(chunk)} ${i32(1)})) ${get(chunk)})`),
    set("mine", i32(0)),
    "(block $claimed_end (loop $claim",
    set("claims", `(i32.atomic.rmw.add ${counter} ${i32(1)})`),
    `(br_if $claimed_end (i32.ge_u ${get("claims")} ${get("chunks")}))`,
    set("chunkAt", `(select (i32.sub (i32.sub ${get("chunks")} ${i32(1)}) ${get("mine")}) ${get("mine")} ${get(back)})`),
    inc("mine", i32(1)),
    set(item, `(i32.mul ${get("chunkAt")} ${get(chunk)})`),
    set(itemEnd, `(i32.add ${get(item)} ${get(chunk)})`),
    `(if (i32.gt_u ${get(itemEnd)} ${get(total)}) (then ${set(itemEnd, get(total))}))`,
    whileLoop(`${item}_claimed`, `(i32.lt_u ${get(item)} ${get(itemEnd)})`, [...body, inc(item, i32(1))]),
    "(br $claim)))",
  ];
}
