/** What the GEMM worker is given and what its host returns, on Node (worker_threads) and in browsers (Web Workers). */

/** The worker's start data: the compiled kernels, the shared heap, the control block and its layout. */
export interface WorkerData {
  /** The compiled WebAssembly.Module. */
  readonly module: object;
  /** The shared WebAssembly.Memory. */
  readonly memory: object;
  readonly control: SharedArrayBuffer;
  readonly layout: Readonly<Record<"SEQ" | "DONE" | "READY" | "STATUS" | "QUIT" | "CLAIM" | "AWAKE" | "JOB" | "KIND" | "MSG_BYTE" | "MSG_LEN" | "SPIN_US" | "WAIT_SLICE_MS", number>>;
}

/** A started worker. */
export interface KernelWorker {
  terminate(): Promise<void>;
}
