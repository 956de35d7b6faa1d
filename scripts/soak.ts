/**
 * `npm run soak`: memory under real training jobs, measured. Prints, per scenario, the figures:
 * 1. a 50,000-step loop that makes fresh batch arrays every step (RSS and Wasm heap at 5k and 50k);
 * 2. `tsflux train` of a small experiment for 100 epochs (completes; peak RSS);
 * 3. a synchronous sweep over 12 model widths (peak Wasm heap bytes in use against the largest model's
 *    own footprint: its parameters, shadow, optimiser state and plan arena);
 * 4. `npm run demo` (peak RSS).
 * `SOAK_STEPS=5000 npm run soak` shortens scenario 1. Not a test: it reports, it does not judge.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cacheStats, wasmHeapStats, seed, wrapColMajor, type Tensor } from "@tsflux/graph";
import { Chain, Dense, relu, randn32, onehotbatch, logitcrossentropy } from "@tsflux/layers";
import { setup, update, Adam } from "@tsflux/optim";
import { Duplicated, gradient } from "@tsflux/enzyme-compat";

const MiB = 1024 ** 2;
const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;
const root = process.cwd();
const labels = Array.from({ length: 10 }, (_, i) => i);

/** V8's full collection, made available at run time, so figures are taken without garbage awaiting it. */
function exposedGc(): () => void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require("v8").setFlagsFromString("--expose-gc");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require("vm").runInNewContext("gc") as () => void;
}
const gc = exposedGc();

/** Scenario 1: a plain loop with a fresh batch every step, as a DataLoader gives. */
function freshBatches(steps: number): void {
  seed(1);
  const model = Chain(Dense(784, 16, relu), Dense(16, 10));
  const dup = Duplicated(model);
  const state = setup(Adam(1e-3), model);
  const loss = (m: Chain, x: Tensor, y: Tensor) => logitcrossentropy(m.forward(x), y);
  const marks = new Map<number, { rss: number; jsHeap: number; jsTotal: number; heap: number; used: number }>();
  const pool = randn32(784, 32 * 64).data as Float32Array; // a dataset to slice batches from, as a DataLoader does
  const t0 = performance.now();
  for (let step = 1; step <= steps; step++) {
    const at = (step % 64) * 784 * 32;
    const x = wrapColMajor(pool.slice(at, at + 784 * 32), [784, 32]);
    const y = onehotbatch(Array.from({ length: 32 }, (_, i) => (i * 7 + step) % 10), labels);
    gradient(loss, dup, x, y);
    update(state, dup);
    if (step % 5000 === 0 || step === steps) {
      gc();
      const h = wasmHeapStats(), m = process.memoryUsage();
      marks.set(step, { rss: m.rss, jsHeap: m.heapUsed, jsTotal: m.heapTotal, heap: h.memoryBytes, used: h.usedBytes });
    }
  }
  const seconds = (performance.now() - t0) / 1000;
  console.log(`1. fresh batch arrays every step, ${steps} steps in ${seconds.toFixed(1)} s (${((seconds / steps) * 1e6).toFixed(0)} µs/step)`);
  console.log(`   after a full collection every 5,000 steps: RSS / JS heap in use / JS heap reserved / Wasm heap in use (MiB)`);
  console.log(`   ${[...marks].map(([step, m]) => `${step / 1000}k ${mib(m.rss).split(" ")[0]}/${mib(m.jsHeap).split(" ")[0]}/${mib(m.jsTotal).split(" ")[0]}/${mib(m.used).split(" ")[0]}`).join(", ")}`);
  // the native allocator returns freed batch buffers to the OS late and unevenly, so single RSS readings
  // jump; the trend is the median of the first three readings against the median of the last three
  const all = [...marks.values()];
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const early = all.slice(0, 3), late = all.slice(-3);
  const growth = (pick: (m: (typeof all)[number]) => number) => `${(((median(late.map(pick)) - median(early.map(pick))) / median(early.map(pick))) * 100).toFixed(1)}%`;
  console.log(`   growth, first three readings to last three (medians): RSS ${growth((m) => m.rss)}, JS heap in use ${growth((m) => m.jsHeap)}, JS heap reserved ${growth((m) => m.jsTotal)}, Wasm heap in use ${growth((m) => m.used)} (goal < 10%)`);
  const first = all[0]!, last = all[all.length - 1]!;
  console.log(`   single readings at ${[...marks.keys()][0]} and ${steps} steps: RSS ${mib(first.rss)} and ${mib(last.rss)}`);
}

/** Runs a command with a preload that prints its peak RSS on exit; returns status, seconds and peak RSS. */
function peakRssOf(args: string[], label: string): void {
  const dir = mkdtempSync(join(tmpdir(), "tsflux-soak-"));
  const preload = join(dir, "peak-rss.cjs");
  writeFileSync(preload, `process.on("exit", () => process.stderr.write("peak-rss " + process.resourceUsage().maxRSS * 1024 + "\\n"));\n`);
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ["--require", preload, ...args.map((a) => a.replace("{dir}", dir))], { cwd: root, encoding: "utf8", maxBuffer: 64 * MiB });
  const seconds = (performance.now() - t0) / 1000;
  const peak = Number(/peak-rss (\d+)/.exec(r.stderr)?.[1] ?? NaN);
  const lastLine = r.stdout.trim().split("\n").filter((l) => l.trim() !== "").pop() ?? "";
  console.log(`${label}: exit status ${r.status}, ${seconds.toFixed(1)} s, peak RSS ${mib(peak)}`);
  console.log(`   last line: ${lastLine.slice(0, 160)}`);
  if (r.status !== 0) console.log(r.stderr.split("\n").slice(-8).join("\n"));
  rmSync(dir, { recursive: true, force: true });
}

/** Scenario 3: a synchronous sweep over widths; each model trains a few steps and is dropped. */
function widthSweep(): void {
  const widths = Array.from({ length: 12 }, (_, k) => 128 * (k + 1));
  let peakUsed = 0, largestFootprint = 0;
  const loss = (m: Chain, x: Tensor, y: Tensor) => logitcrossentropy(m.forward(x), y);
  const x = randn32(784, 64), y = onehotbatch(Array.from({ length: 64 }, (_, i) => i % 10), labels);
  const before = wasmHeapStats().usedBytes;
  for (const width of widths) {
    seed(width);
    const model = Chain(Dense(784, width, relu), Dense(width, width, relu), Dense(width, 10));
    const dup = Duplicated(model);
    const state = setup(Adam(1e-3), model);
    for (let step = 0; step < 20; step++) {
      gradient(loss, dup, x, y);
      update(state, dup);
      peakUsed = Math.max(peakUsed, wasmHeapStats().usedBytes - before);
    }
    const params = 784 * width + width + width * width + width + width * 10 + 10;
    const arena = cacheStats().held.bytes;
    // parameters, their shadow and Adam's two moments (Float32), plus the step's plan arena
    largestFootprint = Math.max(largestFootprint, 4 * 4 * params + arena);
  }
  console.log(`3. synchronous sweep over widths ${widths[0]}..${widths[widths.length - 1]} (3 Dense layers, Adam, 20 steps each)`);
  console.log(`   peak Wasm heap in use ${mib(peakUsed)}, largest model's own footprint ${mib(largestFootprint)}: ratio ${(peakUsed / largestFootprint).toFixed(2)} (goal < 2)`);
  console.log(`   Wasm memory now ${mib(wasmHeapStats().memoryBytes)}; cache evictions ${cacheStats().evictions}`);
}

const steps = Number(process.env.SOAK_STEPS ?? 50000);
console.log(`tsflux soak (${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC)`);
freshBatches(steps);
const experiment = { name: "soak", seed: 1, epochs: 100, batchsize: 32, model: { Chain: [{ Dense: [784, 16, "relu"] }, { Dense: [16, 10] }] }, data: { mnist: { train: 1000, test: 200 } }, loss: "logitcrossentropy", optimiser: { Adam: [0.001] } };
const expDir = mkdtempSync(join(tmpdir(), "tsflux-soak-exp-"));
writeFileSync(join(expDir, "soak.json"), JSON.stringify(experiment));
peakRssOf(["scripts/run-ts.mjs", "packages/cli/src/cli.ts", "train", join(expDir, "soak.json"), "--out-dir", join(expDir, "out")], "2. tsflux train, 784-16-10 MLP, 100 epochs of 1,000 digits");
rmSync(expDir, { recursive: true, force: true });
widthSweep();
peakRssOf(["scripts/run-ts.mjs", "examples/mnist/run-demo.ts"], "4. npm run demo");
