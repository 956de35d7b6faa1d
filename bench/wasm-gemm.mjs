// GFLOP/s of the WebAssembly SIMD GEMM (packages/graph/src/kernels/wasm), one and two threads, all four
// transpose combinations: `node bench/wasm-gemm.mjs [sizes...] [--force-split] [--repeats=N] [--peak]`.
// --peak prints instead the NN GEMM as a fraction of the Wasm SIMD mul+add peak (wasm-peak.mjs), 1 and 2 threads.
// Median [min-max] of REPEATS timed runs, each at least MIN_MS long, after a warm-up; GFLOP/s = 2n^3/t.
// --force-split splits every call in two, even below the m*n*k thresholds of threads.ts (to see why they exist).
// The machine is shared and noisy: compare runs made close together, and rerun outliers.
import { build } from "esbuild";
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { measurePeak } from "./wasm-peak.mjs";

const root = new URL("..", import.meta.url).pathname;
const args = process.argv.slice(2);
const sizes = args.filter((a) => /^\d+$/.test(a)).map(Number);
if (sizes.length === 0) sizes.push(64, 128, 256, 512, 1024);
const forceSplit = args.includes("--force-split");
const REPEATS = Number(args.find((a) => a.startsWith("--repeats="))?.slice(10) ?? 7);
const MIN_MS = 50;
const COMBOS = [["NN", false, false], ["TN", true, false], ["NT", false, true], ["TT", true, true]];

/** Bundles the kernels' TypeScript sources (generating the wasm module first if needed) and loads them. */
export async function loadKernels() {
  const generated = join(root, "packages/graph/src/kernels/wasm/generated/kernels-wasm.ts");
  if (!existsSync(generated)) execFileSync(process.execPath, [join(root, "packages/graph/wasm/gen-kernels.mjs")], { stdio: "inherit" });
  const outdir = join(root, "node_modules", ".cache", "bench");
  mkdirSync(outdir, { recursive: true });
  const outfile = join(outdir, "wasm-kernels.cjs");
  await build({
    entryPoints: [join(root, "packages/graph/src/kernels/wasm/index.ts")],
    outfile, bundle: true, platform: "node", target: "node20", format: "cjs", logLevel: "warning",
  });
  return createRequire(import.meta.url)(outfile);
}

/** Median, min and max GFLOP/s of `run` (calibrated so that one timed run lasts >= MIN_MS). */
function measure(run, flops) {
  let calls = 1;
  for (;;) {
    const t0 = performance.now();
    for (let q = 0; q < calls; q++) run();
    const ms = performance.now() - t0;
    if (ms >= MIN_MS) break;
    calls = Math.max(calls * 2, Math.ceil((calls * MIN_MS * 1.2) / Math.max(ms, 0.01)));
  }
  const rates = [];
  for (let r = 0; r < REPEATS; r++) {
    const t0 = performance.now();
    for (let q = 0; q < calls; q++) run();
    rates.push((flops * calls) / ((performance.now() - t0) * 1e6));
  }
  rates.sort((x, y) => x - y);
  return { median: rates[rates.length >> 1], min: rates[0], max: rates[rates.length - 1] };
}

const fmt = (r) => `${r.median.toFixed(1)} [${r.min.toFixed(1)}–${r.max.toFixed(1)}]`;

/** Fills a fresh n x n operand triple in the Wasm heap; returns their offsets. */
function operands(w, n) {
  const bytes = 4 * n * n;
  const [a, b, c] = [w.wasmAlloc(bytes), w.wasmAlloc(bytes), w.wasmAlloc(bytes)];
  const f32 = w.wasmF32();
  for (let i = 0; i < n * n; i++) {
    f32[(a >> 2) + i] = Math.random() - 0.5;
    f32[(b >> 2) + i] = Math.random() - 0.5;
  }
  return [a, b, c];
}

/**
 * The NN GEMM against the mul+add peak: per size, GFLOP/s on 1 and 2 threads, each as a fraction of the
 * peak on as many threads, and the 2T/1T speed-up. `w` is loadKernels()'s module (threads started).
 */
export async function gemmVsPeak(w, sizes = [256, 512, 1024]) {
  w.wasmWarmup();
  // The relaxed-SIMD kernels (Node 22+, browsers) are compared with a relaxed_madd loop, the plain ones with mul+add.
  const relaxed = w.wasmKernelsFlavor() === "relaxed";
  const peak1 = await measurePeak({ threads: 1, repeats: REPEATS, relaxed });
  const peak2 = await measurePeak({ threads: 2, repeats: REPEATS, relaxed });
  const rows = [];
  for (const n of sizes) {
    const [a, b, c] = operands(w, n);
    const flops = 2 * n * n * n;
    const one = measure(() => w.wasmGemm(false, false, n, n, n, a, b, c, false), flops);
    const two = measure(() => w.wasmGemmParallel(false, false, n, n, n, a, b, c, false), flops);
    rows.push({ n, one, two, frac1: one.median / peak1.median, frac2: two.median / peak2.median, speedup: two.median / one.median });
    [a, b, c].forEach(w.wasmFree);
  }
  const pct = (x) => `${(100 * x).toFixed(0)}%`;
  const table = [
    `GEMM kernels: ${relaxed ? "relaxed SIMD (f32x4.relaxed_madd)" : "plain SIMD (f32x4.mul + f32x4.add)"}. ` +
    `Wasm SIMD ${relaxed ? "relaxed_madd" : "mul+add"} peak: 1 thread ${fmt(peak1)}, 2 threads ${fmt(peak2)} GFLOP/s (medians [min–max] of ${REPEATS}; shared machine, noisy).`,
    "",
    "| n | GEMM 1T GFLOP/s | 1T / peak(1T) | GEMM 2T GFLOP/s | 2T / peak(2T) | 2T / 1T |",
    "| --- | --- | --- | --- | --- | --- |",
    ...rows.map((r) => `| ${r.n} | ${fmt(r.one)} | ${pct(r.frac1)} | ${fmt(r.two)} | ${pct(r.frac2)} | ${r.speedup.toFixed(2)} |`),
  ].join("\n");
  return { peak1, peak2, rows, table };
}

async function main() {
  const w = await loadKernels();
  if (!w.wasmAvailable()) throw new Error(`wasm kernels unavailable: ${w.wasmUnavailableReason()}`);
  const threadsOk = await w.startWasmThreads();
  if (forceSplit) w.configureWasmThreads({ splitThreshold: 0, sleepingSplitThreshold: 0 });
  if (args.includes("--peak")) {
    console.log((await gemmVsPeak(w, args.some((a) => /^\d+$/.test(a)) ? sizes : undefined)).table);
    await w.stopWasmThreads();
    return;
  }
  w.wasmWarmup();
  console.log(`wasm GEMM, node ${process.version}, median [min–max] GFLOP/s of ${REPEATS} runs >= ${MIN_MS} ms`);
  console.log(`2T = caller + 1 worker${threadsOk ? "" : " (WORKER UNAVAILABLE: 2T ran on one thread)"}; * = below the split threshold, ran on one thread`);
  console.log(`| n | ${COMBOS.map(([c]) => `${c} 1T`).join(" | ")} | ${COMBOS.map(([c]) => `${c} 2T`).join(" | ")} |`);
  console.log(`| --- |${" --- |".repeat(2 * COMBOS.length)}`);
  for (const n of sizes) {
    const [a, b, c] = operands(w, n);
    const flops = 2 * n * n * n;
    const one = COMBOS.map(([, ta, tb]) => measure(() => w.wasmGemm(ta, tb, n, n, n, a, b, c, false), flops));
    const before = w.wasmThreadStats().splitCalls;
    const two = COMBOS.map(([, ta, tb]) => measure(() => w.wasmGemmParallel(ta, tb, n, n, n, a, b, c, false), flops));
    const split = w.wasmThreadStats().splitCalls > before;
    console.log(`| ${n} | ${one.map(fmt).join(" | ")} | ${two.map((r) => fmt(r) + (split ? "" : "*")).join(" | ")} |`);
    w.wasmFree(a);
    w.wasmFree(b);
    w.wasmFree(c);
  }
  await w.stopWasmThreads();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
