/**
 * `npm run soak`: memory under real training jobs, measured. Prints, per scenario, the figures:
 * 1. a 50,000-step loop that makes fresh batch arrays every step (RSS, JS heap and Wasm heap at 5k and 50k),
 *    next to a control loop that makes the same batches without tsflux (scripts/soak-batches.ts);
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
import { cacheStats, wasmHeapStats, seed, type Tensor } from "@tsflux/graph";
import { Chain, Dense, relu, randn32, onehotbatch, logitcrossentropy } from "@tsflux/layers";
import { setup, update, Adam } from "@tsflux/optim";
import { Duplicated, gradient } from "@tsflux/enzyme-compat";

const MiB = 1024 ** 2;
const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;
const root = process.cwd();
const labels = Array.from({ length: 10 }, (_, i) => i);

/** What a run of scripts/soak-batches.ts prints: its readings and the collections V8 made after the first. */
interface BatchRun {
  seconds: number;
  readings: { step: number; rss: number; jsHeap: number; jsTotal: number; newSpace: number; wasmUsed: number }[];
  scavenges: number;
  markCompacts: number;
}

/** Runs scenario 1's loop in a fresh process (with tsflux or a control; readings after a full collection or not). */
function batchRun(mode: "tsflux" | "control" | "control-objects", steps: number, collect: "gc" | "none"): BatchRun {
  const r = spawnSync(process.execPath, ["scripts/run-ts.mjs", "scripts/soak-batches.ts", mode, String(steps), collect], { cwd: root, encoding: "utf8", maxBuffer: 64 * MiB });
  const line = r.stdout.split("\n").find((l) => l.startsWith("SOAK "));
  if (r.status !== 0 || !line) throw new Error(`soak-batches ${mode} ${collect} failed (status ${r.status}):\n${r.stderr.split("\n").slice(-8).join("\n")}`);
  return JSON.parse(line.slice(5)) as BatchRun;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const percent = (from: number, to: number) => `${(((to - from) / from) * 100).toFixed(1)}%`;

/** The readings of one run, their trend (the medians of the first and last three) and V8's collections. */
function printRun(label: string, run: BatchRun, steps: number): void {
  const all = run.readings, first = all[0]!, last = all[all.length - 1]!;
  const early = all.slice(0, 3), late = all.slice(-3);
  type R = (typeof all)[number];
  const trend = (pick: (m: R) => number) => percent(median(early.map(pick)), median(late.map(pick)));
  console.log(`   ${label}: ${steps} steps in ${run.seconds.toFixed(1)} s (${((run.seconds / steps) * 1e6).toFixed(0)} µs/step); after the first reading V8 made ${run.scavenges} scavenges and ${run.markCompacts} full collections of its own`);
  console.log(`     readings, RSS / JS heap in use / JS heap reserved / young generation / Wasm heap in use (MiB): ${all.map((m) => `${m.step / 1000}k ${[m.rss, m.jsHeap, m.jsTotal, m.newSpace, m.wasmUsed].map((b) => (b / MiB).toFixed(1)).join("/")}`).join(", ")}`);
  console.log(`     ${first.step / 1000}k -> ${last.step / 1000}k: RSS ${mib(first.rss)} -> ${mib(last.rss)} (${percent(first.rss, last.rss)}), JS heap in use ${percent(first.jsHeap, last.jsHeap)}, JS heap reserved ${mib(first.jsTotal)} -> ${mib(last.jsTotal)} (${percent(first.jsTotal, last.jsTotal)}), Wasm heap in use ${first.wasmUsed ? percent(first.wasmUsed, last.wasmUsed) : "none"}`);
  console.log(`     trend, medians of the first three readings to the last three: RSS ${trend((m) => m.rss)}, JS heap in use ${trend((m) => m.jsHeap)}, JS heap reserved ${trend((m) => m.jsTotal)} (goal < 10%)`);
}

/**
 * Scenario 1: a plain loop with a fresh batch every step, as a DataLoader gives, each run in a fresh
 * process; next to it the control, the same loop without tsflux. Readings every 5,000 steps, first after
 * a full collection, then as a program that never forces one sees them. A full collection leaves V8's
 * count of external memory allocated since the last full collection at its low; from then on the 100 KB
 * batches that wait for the next scavenge start an incremental marking every few hundred steps, and the
 * young objects a marking reaches are promoted. What the step allocates thus decides how fast V8 grows
 * its young generation (up to its maximum), which shows in the JS heap reserved: the control goes
 * through the same cycles with next to nothing to promote, and a few small records per step are enough.
 */
function freshBatches(steps: number): void {
  console.log(`1. fresh batch arrays every step (784-16-10 MLP, Adam, batch 32; a new 100 KB batch and one-hot labels per step), ${steps} steps`);
  for (const collect of ["gc", "none"] as const) {
    console.log(collect === "gc" ? "   readings after a full collection:" : "   readings without forcing a collection (what a training program that never calls gc sees):");
    printRun("tsflux", batchRun("tsflux", steps, collect), steps);
    printRun("control, the same batches and labels, no tsflux call", batchRun("control", steps, collect), steps);
    if (collect === "gc") printRun("control plus five small records of short-lived objects per step (about 650 bytes)", batchRun("control-objects", steps, collect), steps);
  }
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
