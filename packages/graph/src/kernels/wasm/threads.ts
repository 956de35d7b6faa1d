/**
 * Work on the worker lanes (lanes.ts). The multi-thread GEMM: the calling thread plus the lanes, C split
 * into tile-aligned parts, one per thread (partition.ts); each thread packs its own slices. Whole kernel
 * jobs (postKernelJobs: the direct convolutions, 2x2 pooling) run on the lanes beside the caller, each
 * thread claiming pieces of the batch, its own region first (packages/graph/wasm/work-claim.mjs).
 * - Waking a blocked worker costs ~35 µs for the caller and ~75 µs before the worker starts (measured),
 *   so m*n*k >= splitThreshold (5e5) splits only while the worker is awake or within STREAM_MS of a large
 *   call, and an isolated call wakes it from sleepingSplitThreshold (8e6) (bench/wasm-gemm.mjs).
 * - A worker's part is claimed by compare-exchange, by the worker or by the caller once its own part is
 *   done, so a split call is never much slower than one thread.
 */
import { wasmGemmHere, wasmInPlaceGemm } from "./small-gemm";
import { hostParallelism } from "./worker-host";
import { GEMM_F32_PARAMS, checkGemmArgs, gemmMaxScratchBytes } from "./kernel-calls";
import { wasmGemmEpiRange } from "./gemm-epilogue";
import { gemmThreadCount, partitionGemm, type GemmPart } from "./partition";
import { KERNEL_JOBS, LAYOUT } from "./worker-protocol";
import { wasmInstance } from "./runtime";
import { ensureLanesOrDisable, laneConfig, lanes, publishJob, readyLanes, waitDone, workerMessage, type Lane } from "./lanes";

export { startWasmThreads, stopWasmThreads, wasmThreadsReady } from "./lanes";

/** A whole kernel job a lane can run. */
export type KernelJob = (typeof KERNEL_JOBS)[number];

const { AWAKE, CLAIM, JOB, KIND, READY, STATUS } = LAYOUT;

let splitThreshold = 5e5;
let sleepingSplitThreshold = 8e6;
/** A call within this many ms after the previous large one counts as part of a stream (see below). */
const STREAM_MS = 0.2;
let lastLargeEnd = -Infinity;
let splitCalls = 0;
/** GEMM calls made through wasmGemmParallel, split or not. */
let calls = 0;
let lateHalves = 0;

/** GEMM threads in all (the caller included) that large calls are split between. */
export function wasmThreadCount(): number {
  return laneConfig.enabled ? laneConfig.threadCount : 1;
}

/**
 * Tuning: `threads` is the number of GEMM threads, the caller included (default
 * os.hostParallelism(), capped at 16; 1 = no workers); `splitThreshold` is the m*n*k from which a
 * GEMM is split in two while the worker is awake (default 5e5; each further thread needs another half of it), `sleepingSplitThreshold` the one when it must first be
 * woken from Atomics.wait (default 8e6: the wake-up costs ~75 µs here); `callerSteals: false` makes the caller always wait for the workers' parts instead of
 * doing it when the worker is late (tests use it to exercise the worker path deterministically).
 */
export function configureWasmThreads(opts: {
  threads?: number; splitThreshold?: number; sleepingSplitThreshold?: number; callerSteals?: boolean;
}): void {
  if (opts.threads !== undefined) laneConfig.threadCount = gemmThreadCount(hostParallelism(), opts.threads);
  if (opts.splitThreshold !== undefined) splitThreshold = opts.splitThreshold;
  if (opts.sleepingSplitThreshold !== undefined) sleepingSplitThreshold = opts.sleepingSplitThreshold;
  if (opts.callerSteals !== undefined) laneConfig.callerSteals = opts.callerSteals;
}

/** Counters: GEMM calls, calls split between threads, worker parts the caller did itself (worker late), worker wake-ups. */
export function wasmThreadStats(): { calls: number; splitCalls: number; lateHalves: number; wakeups: number } {
  return { calls, splitCalls, lateHalves, wakeups: laneConfig.wakeups };
}

/** Row cuts fall on multiples of MR and of 16 floats (64 bytes): no cache line of a column of C has two writers. */
const ROW_UNIT = ((mr: number) => {
  let unit = mr;
  while (unit % 16 !== 0) unit += mr;
  return unit;
})(GEMM_F32_PARAMS.MR);

/** Writes a job for lane `p` (C part `part`) and wakes the worker if it sleeps; returns the job's sequence number. */
function postJob(
  p: Lane, part: GemmPart, transA: boolean, transB: boolean, m: number, n: number, k: number,
  aOff: number, bOff: number, cOff: number, accumulate: boolean, biasOff: number, epi: number,
): number {
  const j = p.job;
  j[JOB] = transA ? 1 : 0;
  j[JOB + 1] = transB ? 1 : 0;
  j[JOB + 2] = m;
  j[JOB + 3] = n;
  j[JOB + 4] = k;
  j[JOB + 5] = aOff;
  j[JOB + 6] = bOff;
  j[JOB + 7] = cOff;
  j[JOB + 8] = accumulate ? 1 : 0;
  j[JOB + 9] = p.scratch;
  j[JOB + 10] = part.m0;
  j[JOB + 11] = part.m1;
  j[JOB + 12] = part.n0;
  j[JOB + 13] = part.n1;
  j[JOB + 14] = biasOff;
  j[JOB + 15] = epi;
  j[KIND] = 0;
  return publishJob(p);
}

/**
 * Same contract as kernel-calls.ts wasmGemm (column-major, byte offsets into the wasm memory), split between
 * the caller and the ready workers when m*n*k >= the split threshold; otherwise on the calling thread.
 * `epi` (gemm-epilogue.ts's epilogueMode) fuses C = act(C + bias[row]) into the store; 0 = none.
 */
export function wasmGemmParallel(
  transA: boolean, transB: boolean, m: number, n: number, k: number,
  aOff: number, bOff: number, cOff: number, accumulate: boolean, biasOff = 0, epi = 0,
): void {
  calls++;
  if (wasmInPlaceGemm(transA, transB, m, n, k, aOff, bOff, cOff, accumulate, biasOff, epi)) return;
  const work = m * n * k;
  const { enabled, threadCount, callerSteals } = laneConfig;
  const big = enabled && threadCount > 1 && work >= splitThreshold;
  if (big && lanes.length < threadCount - 1) ensureLanesOrDisable();
  const ready = big ? readyLanes() : [];
  // Waking a blocked worker only pays for big problems, or in a stream of large calls (a worker then
  // stays awake: it spins SPIN_US after each job).
  const now = big ? performance.now() : 0;
  const worthIt = ready.length > 0 &&
    (Atomics.load(ready[0]!.ctl, AWAKE) === 1 || work >= sleepingSplitThreshold || now - lastLargeEnd < STREAM_MS);
  // Tile-aligned parts of C (partition.ts), one per thread; each thread past the first needs splitThreshold / 2.
  const { NR } = GEMM_F32_PARAMS;
  const threads = Math.min(ready.length + 1, Math.max(2, Math.floor((2 * work) / Math.max(splitThreshold, 1))));
  const parts = worthIt ? partitionGemm(m, n, threads, ROW_UNIT, NR) : [];
  if (parts.length < 2) {
    wasmGemmEpiRange(transA, transB, m, n, k, aOff, bOff, cOff, accumulate, 0, m, 0, n, biasOff, epi);
    if (big) lastLargeEnd = performance.now();
    return;
  }
  checkGemmArgs(m, n, k, aOff, bOff, cOff);
  splitCalls++;
  const seqs = parts.map((part, i) => (i === 0 ? 0 : postJob(ready[i - 1]!, part, transA, transB, m, n, k, aOff, bOff, cOff, accumulate, biasOff, epi)));
  const late: GemmPart[] = [];
  const waited: Lane[] = [];
  try {
    const mine = parts[0]!;
    wasmGemmEpiRange(transA, transB, m, n, k, aOff, bOff, cOff, accumulate, mine.m0, mine.m1, mine.n0, mine.n1, biasOff, epi);
  } finally {
    // A worker waking from Atomics.wait can take ~100 µs (measured): if it has not claimed its part
    // by now, do it here, so a split call is never much slower than one thread.
    for (let i = 1; i < parts.length; i++) {
      const p = ready[i - 1]!, seq = seqs[i]!;
      const tookIt = !callerSteals || Atomics.compareExchange(p.ctl, CLAIM, (seq - 1) | 0, seq) !== ((seq - 1) | 0);
      if (tookIt) waited.push(p);
      else late.push(parts[i]!);
    }
    for (let i = 0; i < waited.length; i++) waitDone(waited[i]!, waited[i]!.seq);
  }
  for (const part of late) {
    lateHalves++;
    wasmGemmEpiRange(transA, transB, m, n, k, aOff, bOff, cOff, accumulate, part.m0, part.m1, part.n0, part.n1, biasOff, epi);
  }
  lastLargeEnd = performance.now();
  for (const p of waited) if (Atomics.load(p.ctl, STATUS) !== 0) throw new Error(`wasm GEMM worker failed: ${workerMessage(p)}`);
}

/**
 * Posts a whole GEMM (same contract as wasmGemmParallel, no epilogue) to the first ready worker lane,
 * to run while the caller does other work; returns its ticket (the job's sequence number), or 0 when
 * no worker is ready (then the caller runs it itself). A sleeping worker is woken only when
 * `streamWork`, the m*n*k the caller is about to post in a stream of such jobs, reaches
 * sleepingSplitThreshold (a wake-up pays only for that much work). Finish every ticket with finishPostedGemm.
 */
export function postWholeGemm(transA: boolean, transB: boolean, m: number, n: number, k: number, aOff: number, bOff: number, cOff: number, accumulate: boolean, streamWork: number): number {
  if (!laneConfig.enabled || laneConfig.threadCount < 2) return 0;
  if (lanes.length === 0) ensureLanesOrDisable();
  const p = readyLanes()[0];
  if (!p || ((p.seq + 1) | 0) === 0) return 0; // (0 is "not posted": skip the one wrapped sequence number)
  if (streamWork < sleepingSplitThreshold && Atomics.load(p.ctl, AWAKE) === 0) return 0;
  checkGemmArgs(m, n, k, aOff, bOff, cOff);
  calls++;
  return postJob(p, { m0: 0, m1: m, n0: 0, n1: n }, transA, transB, m, n, k, aOff, bOff, cOff, accumulate, 0, 0);
}

/** Completes the posted GEMM `ticket`: runs it here if the worker has not claimed it yet, else waits for it. */
export function finishPostedGemm(ticket: number): void {
  const p = lanes[0]!, j = p.job;
  if (laneConfig.callerSteals && Atomics.compareExchange(p.ctl, CLAIM, (ticket - 1) | 0, ticket) === ((ticket - 1) | 0)) {
    lateHalves++;
    return wasmGemmHere(j[JOB] === 1, j[JOB + 1] === 1, j[JOB + 2]!, j[JOB + 3]!, j[JOB + 4]!, j[JOB + 5]!, j[JOB + 6]!, j[JOB + 7]!, j[JOB + 8] === 1);
  }
  splitCalls++;
  waitDone(p, ticket);
  if (Atomics.load(p.ctl, STATUS) !== 0) throw new Error(`wasm GEMM worker failed: ${workerMessage(p)}`);
}

/**
 * How many worker lanes a kernel job should run on now, beside the caller (at most `most`): none when
 * threads are off, `work` (multiply-adds) does not pay for a split, or a lane's scratch cannot hold
 * `scratchBytes`; else the ready lanes in order, a sleeping one only when `work` pays for waking it
 * (sleepingSplitThreshold). Allocates nothing.
 */
export function kernelJobLanes(work: number, scratchBytes: number, most: number): number {
  if (!laneConfig.enabled || laneConfig.threadCount < 2 || work < splitThreshold || scratchBytes > gemmMaxScratchBytes()) return 0;
  if (lanes.length < laneConfig.threadCount - 1) ensureLanesOrDisable();
  let n = 0;
  for (; n < Math.min(most, lanes.length, laneConfig.threadCount - 1); n++) {
    const lane = lanes[n]!;
    if (lane.dead || Atomics.load(lane.ctl, READY) !== 1 || ((lane.seq + 1) | 0) === 0) break; // (seq 0 is never a ticket)
    if (work < sleepingSplitThreshold && Atomics.load(lane.ctl, AWAKE) === 0) break;
  }
  return n;
}

/**
 * Posts kernel job `name` (worker-protocol.ts KERNEL_JOBS: `(p, chunk, batch, scratch, out, thread)`) to
 * lanes 0..count-1 as threads 1..count, each with its own scratch and `out + thread * outStride`; the
 * word block at `p` already says count + 1 threads (packages/graph/wasm/work-claim.mjs). Finish with
 * finishKernelJobs(count).
 */
export function postKernelJobs(name: KernelJob, count: number, p: number, chunk: number, batch: number, out: number, outStride: number): void {
  const kind = KERNEL_JOBS.indexOf(name) + 1;
  for (let i = 0; i < count; i++) {
    const lane = lanes[i]!, j = lane.job;
    j[JOB] = p;
    j[JOB + 1] = chunk;
    j[JOB + 2] = batch;
    j[JOB + 3] = lane.scratch;
    j[JOB + 4] = out + (i + 1) * outStride;
    j[JOB + 5] = i + 1;
    j[KIND] = kind;
    publishJob(lane);
  }
}

/**
 * Completes the kernel jobs on lanes 0..count-1: a job its worker has not claimed yet runs here (the
 * caller has claimed every chunk by then, so it only clears its own result); the others are waited for.
 */
export function finishKernelJobs(count: number): void {
  for (let i = 0; i < count; i++) {
    const lane = lanes[i]!, j = lane.job, ticket = lane.seq;
    if (laneConfig.callerSteals && Atomics.compareExchange(lane.ctl, CLAIM, (ticket - 1) | 0, ticket) === ((ticket - 1) | 0)) {
      lateHalves++;
      wasmInstance().exports[KERNEL_JOBS[j[KIND]! - 1]!](j[JOB]!, j[JOB + 1]!, j[JOB + 2]!, j[JOB + 3]!, j[JOB + 4]!, j[JOB + 5]!);
      continue;
    }
    splitCalls++;
    waitDone(lane, ticket);
    if (Atomics.load(lane.ctl, STATUS) !== 0) throw new Error(`wasm kernel worker failed (${KERNEL_JOBS[j[KIND]! - 1]}): ${workerMessage(lane)}`);
  }
}
