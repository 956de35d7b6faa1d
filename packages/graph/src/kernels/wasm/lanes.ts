/**
 * The worker lanes the Wasm kernels run on besides the calling thread: gemmThreadCount(hostParallelism())
 * - 1 workers (worker_threads under Node, Web Workers in browsers; worker-host.ts) on the same module and
 * shared memory, each with its own control block, job words and pack scratch.
 * - Dispatch goes through an Int32Array control block, never postMessage: the caller writes the job and
 *   bumps SEQ (notifying a blocked worker); a worker spins SPIN_US after a job, then blocks in Atomics.wait.
 * - A job is claimed by compare-exchange on CLAIM, by the worker or by the caller when the worker is late.
 * - Workers start lazily (~50 ms) on the first large call or with startWasmThreads(); they are unref()'d
 *   and wait in time slices. Their code is an inline string (worker-protocol.ts), so bundles need no file
 *   lookup. A page's main thread may not block in Atomics.wait, so there the caller spins.
 * What runs on them: the split GEMM (threads.ts) and whole kernel jobs (kernel-jobs.ts).
 */
import { canBlock, hostParallelism, spawnKernelWorker } from "./worker-host";
import type { KernelWorker } from "./worker-types";
import { wasmAlloc, wasmFree, wasmInstance } from "./runtime";
import { gemmMaxScratchBytes } from "./kernel-calls";
import { gemmThreadCount } from "./partition";
import { LAYOUT, CONTROL_BYTES, WORKER_SOURCE } from "./worker-protocol";

const { SEQ, DONE, READY, QUIT, AWAKE, MSG_BYTE, MSG_LEN, SPIN_US, WAIT_SLICE_MS } = LAYOUT;

/** One worker and its control block. */
export interface Lane {
  worker: KernelWorker;
  ctl: Int32Array;
  job: Uint32Array;
  control: SharedArrayBuffer;
  /** Byte offset of the lane's own scratch (gemmMaxScratchBytes()) in the heap. */
  scratch: number;
  seq: number;
  dead: boolean;
}

/** One lane per worker, created lazily up to threadCount - 1. */
export const lanes: Lane[] = [];

/** Whether workers may be used, and how many threads in all (the caller included). */
export const laneConfig = { enabled: true, threadCount: gemmThreadCount(hostParallelism()), callerSteals: true, wakeups: 0 };

/** Reads the worker's error text from the control block. */
export function workerMessage(p: Lane): string {
  const bytes = new Uint8Array(p.control, MSG_BYTE, MSG_LEN);
  const end = bytes.indexOf(0);
  return new TextDecoder().decode(bytes.slice(0, end < 0 ? MSG_LEN : end));
}

/** Creates the missing lanes (workers) up to threadCount - 1. */
function ensureLanes(): Lane[] {
  while (lanes.length < laneConfig.threadCount - 1) lanes.push(createLane());
  return lanes;
}

/** Creates the missing lanes, or stays single-threaded where workers cannot start. */
export function ensureLanesOrDisable(): void {
  try {
    ensureLanes();
  } catch {
    laneConfig.enabled = false;
  }
}

/** Starts one worker with its control block and pack scratch. */
function createLane(): Lane {
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
  let ps: Lane[];
  try {
    ps = ensureLanes().slice(0, laneConfig.threadCount - 1);
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
export function readyLanes(): Lane[] {
  const out: Lane[] = [];
  for (let i = 0; i < Math.min(lanes.length, laneConfig.threadCount - 1); i++) {
    const p = lanes[i]!;
    if (p.dead || Atomics.load(p.ctl, READY) !== 1) break;
    out.push(p);
  }
  return out;
}

/** True when the next large wasmGemmParallel call will use all configured threads. */
export function wasmThreadsReady(): boolean {
  return laneConfig.enabled && laneConfig.threadCount > 1 && readyLanes().length === laneConfig.threadCount - 1;
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

/** Publishes the job already written into `p.job`: bumps SEQ and wakes the worker if it sleeps; returns the job's sequence number. */
export function publishJob(p: Lane): number {
  const seq = (p.seq = (p.seq + 1) | 0);
  Atomics.store(p.ctl, SEQ, seq);
  if (Atomics.load(p.ctl, AWAKE) === 0) {
    laneConfig.wakeups++;
    Atomics.notify(p.ctl, SEQ); // (SEQ was stored first, so no wake-up is lost)
  }
  return seq;
}

/** Waits (spin, then Atomics.wait slices) until the worker published DONE == seq. */
export function waitDone(p: Lane, seq: number): void {
  const until = performance.now() + SPIN_US / 1000;
  for (let i = 0; Atomics.load(p.ctl, DONE) !== seq; i++) {
    if ((i & 63) === 63 && performance.now() > until) break;
  }
  for (let d = Atomics.load(p.ctl, DONE); d !== seq; d = Atomics.load(p.ctl, DONE)) {
    if (p.dead || Atomics.load(p.ctl, READY) !== 1) throw new Error("wasm kernel worker stopped during a job");
    if (canBlock) Atomics.wait(p.ctl, DONE, d, WAIT_SLICE_MS); // a page's main thread may not block: it keeps spinning
  }
}
