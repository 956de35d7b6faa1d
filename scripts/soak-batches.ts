/**
 * One run of `npm run soak` scenario 1, in a process of its own: a loop that makes a fresh batch array
 * and fresh one-hot labels every step, as a DataLoader does, and takes readings every 5,000 steps.
 *
 *   node scripts/run-ts.mjs scripts/soak-batches.ts <tsflux|control|control-objects> <steps> <gc|none>
 *
 * `tsflux` trains a 784-16-10 MLP (Adam, batch 32) on each batch; `control` makes the same batches and
 * labels and makes no tsflux call (tsflux is not even loaded), so it shows what V8 and the batch arrays
 * alone do to memory; `control-objects` is the control plus five small records of short-lived objects per
 * step (about 650 bytes; a tracer makes one per op), so it shows what a step's own garbage does. `gc` takes each reading after a full collection; `none` takes it as it is, for a
 * process that never asks for a collection (a forced collection changes when V8 collects afterwards:
 * the external memory counted since the last full collection starts from the low it leaves).
 * Prints one line: `SOAK {json}` with the readings and the collections V8 made after the first reading.
 */
import * as v8 from "node:v8";

const [mode = "tsflux", stepsArg = "50000", collect = "gc"] = process.argv.slice(2);
const steps = Number(stepsArg);
const every = 5000;

/** One reading: resident set, JS heap in use and reserved, the young generation, the Wasm heap in use (bytes). */
interface Reading { step: number; rss: number; jsHeap: number; jsTotal: number; newSpace: number; wasmUsed: number }

/** V8's full collection, made available at run time, so readings are taken without garbage awaiting it. */
function exposedGc(): () => void {
  v8.setFlagsFromString("--expose-gc");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("vm").runInNewContext("gc") as () => void;
}

/** A dataset of 64 batches of 784 x 32 Float32 values to slice batches from (a fixed pseudo-random sequence). */
function datasetPool(): Float32Array {
  const pool = new Float32Array(784 * 32 * 64);
  let s = 1;
  for (let i = 0; i < pool.length; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    pool[i] = s / 1073741824 - 1;
  }
  return pool;
}

/** The step's labels: 32 class numbers in 0..9. */
function labelsOf(step: number): number[] {
  return Array.from({ length: 32 }, (_, i) => (i * 7 + step) % 10);
}

/** The control's one-hot labels, made in plain JS: the same 10 x 32 Float32 array onehotbatch makes. */
function plainOnehot(labels: readonly number[]): Float32Array {
  const y = new Float32Array(10 * labels.length);
  labels.forEach((label, j) => { y[j * 10 + label] = 1; });
  return y;
}

/** Five op records such as a tracer makes (an object, its operand list and attributes), put in a list and dropped. */
function smallRecords(step: number): number {
  const records: { op: string; ins: number[]; attrs: { axis: number } }[] = [];
  for (let i = 0; i < 5; i++) records.push({ op: "op", ins: [step, i], attrs: { axis: i % 3 } });
  return records.length;
}

/** The per-step work of `tsflux` mode: one gradient and one Adam update on the batch. */
async function tsfluxStep(): Promise<{ step: (x: Float32Array, labels: number[]) => void; wasmUsed: () => number }> {
  const { seed, wrapColMajor, wasmHeapStats } = await import("@tsflux/graph");
  const { Chain, Dense, relu, onehotbatch, logitcrossentropy } = await import("@tsflux/layers");
  const { setup, update, Adam } = await import("@tsflux/optim");
  const { Duplicated, gradient } = await import("@tsflux/enzyme-compat");
  type Model = ReturnType<typeof Chain>;
  seed(1);
  const model = Chain(Dense(784, 16, relu), Dense(16, 10));
  const dup = Duplicated(model);
  const state = setup(Adam(1e-3), model);
  const classes = Array.from({ length: 10 }, (_, i) => i);
  const loss = (m: Model, x: Parameters<typeof logitcrossentropy>[0], y: Parameters<typeof logitcrossentropy>[1]) => logitcrossentropy(m.forward(x), y);
  return {
    step: (x, labels) => {
      gradient(loss, dup, wrapColMajor(x, [784, 32]), onehotbatch(labels, classes));
      update(state, dup);
    },
    wasmUsed: () => wasmHeapStats().usedBytes,
  };
}

async function main(): Promise<void> {
  if (!["tsflux", "control", "control-objects"].includes(mode)) throw new Error(`soak-batches: mode must be tsflux, control or control-objects, got ${mode}`);
  const gc = collect === "gc" ? exposedGc() : undefined;
  const pool = datasetPool();
  let checksum = 0;
  const work = mode === "tsflux" ? await tsfluxStep() : undefined;
  const readings: Reading[] = [];
  const profiler = new v8.GCProfiler();
  const t0 = performance.now();
  for (let step = 1; step <= steps; step++) {
    const at = (step % 64) * 784 * 32;
    const x = pool.slice(at, at + 784 * 32);
    const labels = labelsOf(step);
    if (work) work.step(x, labels);
    else checksum += x[step % 784]! + plainOnehot(labels)[step % 320]! + (mode === "control-objects" ? smallRecords(step) : 0);
    if (step % every === 0 || step === steps) {
      gc?.();
      const m = process.memoryUsage();
      const newSpace = v8.getHeapSpaceStatistics().find((s) => s.space_name === "new_space")?.space_size ?? 0;
      readings.push({ step, rss: m.rss, jsHeap: m.heapUsed, jsTotal: m.heapTotal, newSpace, wasmUsed: work?.wasmUsed() ?? 0 });
      if (readings.length === 1) profiler.start();
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  const collections = readings.length > 1 ? profiler.stop().statistics : [];
  const forced = gc ? readings.length - 1 : 0;
  const scavenges = collections.filter((c) => c.gcType === "Scavenge").length;
  const markCompacts = collections.filter((c) => c.gcType === "MarkSweepCompact").length - forced;
  console.log(`SOAK ${JSON.stringify({ mode, collect, steps, seconds, readings, scavenges, markCompacts, checksum: Number.isFinite(checksum) })}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
