/**
 * Multi-thread GEMM: the calling thread plus gemmThreadCount(hostParallelism()) - 1 workers ("lanes":
 * worker_threads under Node, Web Workers in browsers; worker-host.ts) on the same module and shared
 * memory, each with its own control block, job and pack scratch (configureWasmThreads overrides the count).
 * - Dispatch goes through an Int32Array control block, never postMessage: the caller writes the job and
 *   bumps SEQ (notifying a blocked worker); a worker spins SPIN_US after a job, then blocks in Atomics.wait.
 * - C is split into tile-aligned parts, one per thread (partition.ts); each thread packs its own slices.
 * - Waking a blocked worker costs ~35 µs for the caller and ~75 µs before the worker starts (measured),
 *   so m*n*k >= splitThreshold (5e5) splits only while the worker is awake or within STREAM_MS of a large
 *   call, and an isolated call wakes it from sleepingSplitThreshold (8e6) (bench/wasm-gemm.mjs).
 * - A worker's part is claimed by compare-exchange, by the worker or by the caller once its own part is
 *   done, so a split call is never much slower than one thread.
 * - Workers start lazily (~50 ms) on the first large call or with startWasmThreads(); they are unref()'d
 *   and wait in time slices. Their code is an inline string (worker-protocol.ts), so bundles need no file
 *   lookup. A page's main thread may not block in Atomics.wait, so there the caller spins.
 */
import { wasmGemmHere, wasmInPlaceGemm } from "./small-gemm";
import { canBlock, hostParallelism, spawnKernelWorker } from "./worker-host";
import type { KernelWorker } from "./worker-types";
import { wasmAlloc, wasmFree, wasmInstance } from "./runtime";
import { GEMM_F32_PARAMS, checkGemmArgs, gemmMaxScratchBytes } from "./kernel-calls";
import { wasmGemmEpiRange } from "./gemm-epilogue";
import { gemmThreadCount, partitionGemm, type GemmPart } from "./partition";
import { LAYOUT, CONTROL_BYTES, WORKER_SOURCE } from "./worker-protocol";

const { SEQ, DONE, READY, STATUS, QUIT, CLAIM, AWAKE, JOB, MSG_BYTE, MSG_LEN, SPIN_US, WAIT_SLICE_MS } = LAYOUT;

interface Pool {
  worker: KernelWorker;
  ctl: Int32Array;
  job: Uint32Array;
  control: SharedArrayBuffer;
  scratch: number;
  seq: number;
  dead: boolean;
}

/** One lane per worker, created lazily up to threadCount - 1. */
const lanes: Pool[] = [];
let enabled = true;
/** GEMM threads in all (the caller included). */
let threadCount = gemmThreadCount(hostParallelism());
let splitThreshold = 5e5;
let sleepingSplitThreshold = 8e6;
/** A call within this many ms after the previous large one counts as part of a stream (see below). */
const STREAM_MS = 0.2;
let lastLargeEnd = -Infinity;
let splitCalls = 0;
/** GEMM calls made through wasmGemmParallel, split or not. */
let calls = 0;
let lateHalves = 0;
let wakeups = 0;
let callerSteals = true;

/** Reads the worker's error text from the control block. */
function workerMessage(p: Pool): string {
  const bytes = new Uint8Array(p.control, MSG_BYTE, MSG_LEN);
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(bytes.slice(0, end < 0 ? MSG_LEN : end));
}

/** Creates the missing lanes (workers) up to threadCount - 1. */
function ensureLanes(): Pool[] {
  while (lanes.length < threadCount - 1) lanes.push(createLane());
  return lanes;
}

/** Starts one worker with its control block and pack scratch. */
function createLane(): Pool {
  const { module, memory } = wasmInstance();
  const control = new SharedArrayBuffer(CONTROL_BYTES);
  const layout = LAYOUT;
  const ctl = new Int32Array(control);
  const state = { dead: false };
  const worker = spawnKernelWorker(WORKER_SOURCE, { module, memory, control, layout }, () => {
    state.dead = true;
  });
  return Object.assign(state, { worker, ctl, control, job: new Uint32Array(control), scratch: wasmAlloc(gemmMaxScratchBytes()), seq: 0 });
}

/** Starts the workers now; resolves true once all can take jobs (false if threads are unavailable or off). */
export function startWasmThreads(): Promise<boolean> {
  let ps: Pool[];
  try {
    ps = ensureLanes().slice(0, threadCount - 1);
  } catch {
    return Promise.resolve(false);
  }
  if (ps.length === 0) return Promise.resolve(false);
  // A ref'd poll (not the unref'd workers' events) keeps the process alive until the verdict.
  return new Promise<boolean>((resolve) => {
    const check = (): void => {
      if (ps.some((p) => Atomics.load(p.ctl, READY) === 0 && !p.dead)) return;
      clearInterval(timer);
      resolve(ps.every((p) => Atomics.load(p.ctl, READY) === 1 && !p.dead));
    };
    const timer = setInterval(check, 1);
    check();
  });
}

/** The lanes that can take a job now (a prefix of the first threadCount - 1). */
function readyLanes(): Pool[] {
  const out: Pool[] = [];
  for (let i = 0; i < Math.min(lanes.length, threadCount - 1); i++) {
    const p = lanes[i]!;
    if (p.dead || Atomics.load(p.ctl, READY) !== 1) break;
    out.push(p);
  }
  return out;
}

/** True when the next large wasmGemmParallel call will use all configured threads. */
export function wasmThreadsReady(): boolean {
  return enabled && threadCount > 1 && readyLanes().length === threadCount - 1;
}

/** GEMM threads in all (the caller included) that large calls are split between. */
export function wasmThreadCount(): number {
  return enabled ? threadCount : 1;
}

/** Stops the workers (tests; workers never keep the process alive anyway). */
export async function stopWasmThreads(): Promise<void> {
  const stopping = lanes.splice(0, lanes.length);
  for (const p of stopping) {
    Atomics.store(p.ctl, QUIT, 1);
    Atomics.notify(p.ctl, SEQ);
  }
  for (const p of stopping) {
    await p.worker.terminate();
    wasmFree(p.scratch);
  }
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
  if (opts.threads !== undefined) threadCount = gemmThreadCount(hostParallelism(), opts.threads);
  if (opts.splitThreshold !== undefined) splitThreshold = opts.splitThreshold;
  if (opts.sleepingSplitThreshold !== undefined) sleepingSplitThreshold = opts.sleepingSplitThreshold;
  if (opts.callerSteals !== undefined) callerSteals = opts.callerSteals;
}

/** Counters: GEMM calls, calls split between threads, worker parts the caller did itself (worker late), worker wake-ups. */
export function wasmThreadStats(): { calls: number; splitCalls: number; lateHalves: number; wakeups: number } {
  return { calls, splitCalls, lateHalves, wakeups };
}

/** Waits (spin, then Atomics.wait slices) until the worker published DONE == seq. */
function waitDone(p: Pool, seq: number): void {
  const until = performance.now() + SPIN_US / 1000;
  for (let i = 0; Atomics.load(p.ctl, DONE) !== seq; i++) {
    if ((i & 63) === 63 && performance.now() > until) break;
  }
  for (let d = Atomics.load(p.ctl, DONE); d !== seq; d = Atomics.load(p.ctl, DONE)) {
    if (p.dead || Atomics.load(p.ctl, READY) !== 1) throw new Error("wasm GEMM worker stopped during a job");
    if (canBlock) Atomics.wait(p.ctl, DONE, d, WAIT_SLICE_MS); // a page's main thread may not block: it keeps spinning
  }
}

/** Row cuts fall on multiples of MR and of 16 floats (64 bytes): no cache line of a column of C has two writers. */
const ROW_UNIT = ((mr: number) => {
  let unit = mr;
  while (unit % 16 !== 0) unit += mr;
  return unit;
})(GEMM_F32_PARAMS.MR);

/** Writes a job for lane `p` (C part `part`) and wakes the worker if it sleeps; returns the job's sequence number. */
function postJob(
  p: Pool, part: GemmPart, transA: boolean, transB: boolean, m: number, n: number, k: number,
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
  const seq = (p.seq = (p.seq + 1) | 0);
  Atomics.store(p.ctl, SEQ, seq);
  if (Atomics.load(p.ctl, AWAKE) === 0) {
    wakeups++;
    Atomics.notify(p.ctl, SEQ); // (SEQ was stored first, so no wake-up is lost)
  }
  return seq;
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
  const waited: Pool[] = [];
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
  if (!enabled || threadCount < 2) return 0;
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
  if (callerSteals && Atomics.compareExchange(p.ctl, CLAIM, (ticket - 1) | 0, ticket) === ((ticket - 1) | 0)) {
    lateHalves++;
    return wasmGemmHere(j[JOB] === 1, j[JOB + 1] === 1, j[JOB + 2]!, j[JOB + 3]!, j[JOB + 4]!, j[JOB + 5]!, j[JOB + 6]!, j[JOB + 7]!, j[JOB + 8] === 1);
  }
  splitCalls++;
  waitDone(p, ticket);
  if (Atomics.load(p.ctl, STATUS) !== 0) throw new Error(`wasm GEMM worker failed: ${workerMessage(p)}`);
}

/** Creates the missing lanes, or stays single-threaded where workers cannot start. */
function ensureLanesOrDisable(): void {
  try {
    ensureLanes();
  } catch {
    enabled = false;
  }
}
