/**
 * The GEMM worker in a browser: a Web Worker made from the inline source (a Blob URL), given the
 * compiled module and the shared heap by postMessage. Sharing the heap needs a cross-origin isolated
 * page (headers `Cross-Origin-Opener-Policy: same-origin` and `Cross-Origin-Embedder-Policy:
 * require-corp`); without it tsflux says so once and runs on one thread, in plain JavaScript.
 */
import type { KernelWorker, WorkerData } from "./worker-types";

/** The parts of a Web Worker used here (this package is typed without the DOM library). */
interface WebWorker {
  postMessage(data: unknown): void;
  addEventListener(type: "error", listener: () => void): void;
  terminate(): void;
}

const scope = globalThis as { crossOriginIsolated?: boolean; document?: unknown; Worker?: new (url: string) => WebWorker };

/** A page's main thread may not block in Atomics.wait (it spins instead); a worker may. */
export const canBlock = scope.document === undefined;

if (scope.crossOriginIsolated !== true) {
  console.info(
    "tsflux: this page is not cross-origin isolated, so tsflux runs on one thread without its shared WebAssembly heap. " +
      "Send Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp for the WebAssembly kernels and a second thread.",
  );
}

/** Starts `body` (the worker loop, reading `workerData`) in a Web Worker; `onDeath` runs if it fails. */
export function spawnKernelWorker(body: string, data: WorkerData, onDeath: () => void): KernelWorker {
  const Worker = scope.Worker;
  if (Worker === undefined) throw new Error("Web Workers are not available here");
  const source = `"use strict";\nself.onmessage = (event) => {\nconst workerData = event.data;\n${body}\n};`;
  const url = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
  const worker = new Worker(url);
  URL.revokeObjectURL(url);
  worker.addEventListener("error", onDeath);
  worker.postMessage(data);
  return { terminate: async () => worker.terminate() };
}

/** How many threads the host can run at once (navigator.hardwareConcurrency; 1 when unknown). */
export function hostParallelism(): number {
  const n = (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency;
  return typeof n === "number" && n >= 1 ? n : 1;
}
