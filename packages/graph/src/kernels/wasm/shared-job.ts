/**
 * A kernel call shared by this thread and worker lanes (threads.ts kernelJobLanes, postKernelJobs,
 * finishKernelJobs): the kernel's word block says how many threads take part and holds one claim counter
 * per thread's region of the batch (packages/graph/wasm/work-claim.mjs); thread 0 runs here.
 */
import { heapOffset } from "../../memory";
import { wasmInstance } from "./runtime";
import { MAX_GEMM_THREADS } from "./partition";
import { finishKernelJobs, kernelJobLanes, postKernelJobs, wasmThreadCount, type KernelJob } from "./threads";

/** Where a kernel's word block keeps the thread count and the first claim counter (word indices). */
export interface ClaimWords {
  readonly THREADS: number;
  readonly COUNTERS: number;
}

/** Threads a shared call may use now (the configured thread count, at most MAX_GEMM_THREADS). */
export const sharingThreads = (): number => Math.max(1, Math.min(wasmThreadCount(), MAX_GEMM_THREADS));

/** One kernel's shared call: its job, word block (in the heap) and the work and scratch one call needs. */
export class SharedKernelJob {
  constructor(
    private readonly job: KernelJob, private readonly words: Int32Array, private readonly at: ClaimWords,
    private readonly scratchBytes: number, private readonly work: number,
  ) {}

  /**
   * Runs the job over `total` items, `chunk` at a time, on at most `threads` threads: thread 0 here with
   * `scratch` and `out`, thread t on lane t - 1 with its own scratch and `out + t * outStride`. Returns how
   * many threads took part.
   */
  run(chunk: number, total: number, scratch: number, out: number, outStride: number, threads = sharingThreads()): number {
    const { words, at } = this;
    const lanes = total > chunk ? kernelJobLanes(this.work, this.scratchBytes, threads - 1) : 0;
    words[at.THREADS] = lanes + 1;
    words.fill(0, at.COUNTERS, at.COUNTERS + lanes + 1);
    const p = heapOffset(words, 0);
    if (lanes > 0) postKernelJobs(this.job, lanes, p, chunk, total, out, outStride);
    wasmInstance().exports[this.job](p, chunk, total, scratch, out, 0);
    if (lanes > 0) finishKernelJobs(lanes);
    return lanes + 1;
  }
}
