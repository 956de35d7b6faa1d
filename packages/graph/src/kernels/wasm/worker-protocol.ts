/**
 * The protocol between a caller and one GEMM worker lane (threads.ts), declared once: the layout of
 * their shared control block, which threads.ts reads by name and hands to the worker (its `layout`),
 * and the worker's code, which takes the same names from it.
 */

/** Control block layout (Int32 indices; each group sits on its own 64-byte line) and the timing constants. */
export const LAYOUT = {
  /** written by the caller: job sequence number */
  SEQ: 0,
  /** written by the worker: last finished sequence number */
  DONE: 16,
  /** worker: 1 = taking jobs, -1 = failed to start or left its loop */
  READY: 32,
  /** worker: 0 = last job ok, 1 = it threw (message in MSG) */
  STATUS: 33,
  /** caller: 1 = leave the loop */
  QUIT: 34,
  /** last job whose part was claimed (by this lane's worker, or by the caller when the worker is late) */
  CLAIM: 48,
  /** worker: 1 = spinning or working, 0 = (about to be) blocked in Atomics.wait */
  AWAKE: 56,
  /** 16 job words (as Uint32): ta tb m n k a b c acc pack m0 m1 n0 n1 bias epi; a kernel job uses the first 6 */
  JOB: 64,
  /** the job's kind: 0 = GEMM (gemm_f32_job), else the index + 1 of its export in KERNEL_JOBS */
  KIND: 80,
  /** error text (UTF-8), MSG_LEN bytes */
  MSG_BYTE: 384,
  MSG_LEN: 768,
  /** How long the worker spins on SEQ after a job, and the caller on DONE, before blocking (µs). */
  SPIN_US: 100,
  /** Upper bound of one Atomics.wait slice (ms): waits are re-armed, so exit never hangs on them. */
  WAIT_SLICE_MS: 1000,
} as const;

/** Exports a lane runs as whole kernel jobs, each `(p, chunk, batch, scratch, out, back)` (threads.ts postKernelJob). */
export const KERNEL_JOBS = ["conv2d_f32", "conv2d_filter_f32", "conv2d_data_f32", "maxpool2x2_f32", "maxpool2x2_scatter_f32"] as const;

/** Bytes of one lane's control block. */
export const CONTROL_BYTES = LAYOUT.MSG_BYTE + LAYOUT.MSG_LEN;

/** Inline worker (its host defines `workerData`): instantiate, then loop { wait for SEQ; run the job; publish DONE }. */
export const WORKER_SOURCE = `
const { module, memory, control, layout } = workerData;
const KERNEL_JOBS = ${JSON.stringify(KERNEL_JOBS)};
const { ${Object.keys(LAYOUT).join(", ")} } = layout;
const ctl = new Int32Array(control);
const job = new Uint32Array(control);
function report(err) {
  const text = new TextEncoder().encode(String((err && err.stack) || err)).subarray(0, MSG_LEN - 1);
  const msg = new Uint8Array(control, MSG_BYTE, MSG_LEN);
  msg.fill(0);
  msg.set(text);
}
function main() {
  let gemm, jobs;
  try {
    const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
    gemm = exports.gemm_f32_job;
    jobs = KERNEL_JOBS.map((name) => exports[name]);
  } catch (err) {
    report(err);
    return;
  }
  let seen = 0; // SEQ starts at 0 and only the caller bumps it; read nothing before READY is published
  Atomics.store(ctl, AWAKE, 1);
  Atomics.store(ctl, READY, 1);
  Atomics.notify(ctl, READY);
  for (;;) {
    let seq = Atomics.load(ctl, SEQ);
    if (seq === seen) {
      const until = performance.now() + SPIN_US / 1000;
      for (let i = 0; seq === seen; i++) {
        if ((i & 63) === 63 && performance.now() > until) break;
        seq = Atomics.load(ctl, SEQ);
      }
    }
    while (seq === seen && Atomics.load(ctl, QUIT) === 0) {
      // Publish "asleep" before waiting: the caller notifies (a costly syscall) only then.
      Atomics.store(ctl, AWAKE, 0);
      Atomics.wait(ctl, SEQ, seen, WAIT_SLICE_MS);
      seq = Atomics.load(ctl, SEQ);
    }
    Atomics.store(ctl, AWAKE, 1);
    if (Atomics.load(ctl, QUIT) !== 0) return;
    seen = seq;
    // The caller takes the part itself if it finished its own first; then there is nothing to do or report.
    if (Atomics.compareExchange(ctl, CLAIM, (seen - 1) | 0, seen) !== ((seen - 1) | 0)) continue;
    let status = 0;
    try {
      const kind = job[KIND];
      if (kind !== 0) jobs[kind - 1](job[JOB], job[JOB + 1], job[JOB + 2], job[JOB + 3], job[JOB + 4], job[JOB + 5]);
      else gemm(job[JOB], job[JOB + 1], job[JOB + 2], job[JOB + 3], job[JOB + 4], job[JOB + 5], job[JOB + 6],
        job[JOB + 7], job[JOB + 8], job[JOB + 9], job[JOB + 10], job[JOB + 11], job[JOB + 12], job[JOB + 13],
        job[JOB + 14], job[JOB + 15]);
    } catch (err) {
      report(err);
      status = 1;
    }
    Atomics.store(ctl, STATUS, status);
    Atomics.store(ctl, DONE, seen);
    Atomics.notify(ctl, DONE);
  }
}
try {
  main();
} finally {
  // Tell a caller blocked in Atomics.wait (it cannot see the 'exit' event) that no job will finish.
  Atomics.store(ctl, READY, -1);
  Atomics.notify(ctl, READY);
  Atomics.notify(ctl, DONE);
}
`;
