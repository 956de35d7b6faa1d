/**
 * The GEMM worker under Node: a worker_threads Worker evaluating the inline source, unref()'d so it
 * never keeps the process alive, told to quit when the process exits. The browser build uses
 * worker-host.browser.ts (a Web Worker) instead.
 */
import { Worker } from "node:worker_threads";
import { availableParallelism } from "node:os";
import type { KernelWorker, WorkerData } from "./worker-types";

/** Node's main thread may block in Atomics.wait. */
export const canBlock = true;

/** Starts `body` (the worker loop, reading `workerData`) on a new thread; `onDeath` runs if it errors or exits. */
export function spawnKernelWorker(body: string, data: WorkerData, onDeath: () => void): KernelWorker {
  const source = `"use strict";\nconst { workerData } = require("node:worker_threads");\n${body}`;
  const worker = new Worker(source, { eval: true, workerData: data });
  worker.unref();
  worker.once("error", onDeath);
  worker.once("exit", onDeath);
  const quit = (): void => {
    Atomics.store(new Int32Array(data.control), data.layout.QUIT, 1);
    Atomics.notify(new Int32Array(data.control), data.layout.SEQ);
  };
  process.once("exit", quit);
  worker.once("exit", () => process.off("exit", quit));
  return { terminate: async () => void (await worker.terminate()) };
}

/** How many threads the host can run at once. */
export function hostParallelism(): number {
  return availableParallelism();
}
