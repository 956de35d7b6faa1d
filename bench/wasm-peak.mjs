// The machine's WebAssembly SIMD mul+add peak: a generated loop of independent f32x4.mul and f32x4.add
// chains (MUL_CHAINS + ADD_CHAINS accumulators, enough to hide the 3-4 cycle latencies), on one thread and
// on the calling thread plus workers running the same loop at once. A GEMM without FMA needs one mul and
// one add per multiply-accumulate, so this loop's FLOP rate is the ceiling the GEMM is compared with.
// With `relaxed`, the loop is 12 chains of f32x4.relaxed_madd instead (8 FLOP each where the CPU fuses it):
// the ceiling for the relaxed-SIMD GEMM kernels.
// `node bench/wasm-peak.mjs [threads] [--relaxed]` prints it; bench/wasm-gemm.mjs and run.mjs import measurePeak.
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";

const MUL_CHAINS = 6;
const ADD_CHAINS = 6;
/** Loop body copies per iteration (keeps the branch and counter off the FP pipes). */
const UNROLL = 4;
/** FLOP per loop iteration: every f32x4 mul or add is 4 FLOP, a relaxed_madd 8. */
const flopPerIter = (relaxed) => (relaxed ? 8 : 4) * UNROLL * (MUL_CHAINS + ADD_CHAINS);

/**
 * WAT of `peak(iters, s, t) -> f32`: m_i *= s and a_i += t chains, or (relaxed) c_i = c_i * s + t chains;
 * s = 1 and t = 0 keep values finite and normal.
 */
function peakWat(relaxed) {
  const m = Array.from({ length: MUL_CHAINS }, (_, i) => `m${i}`);
  const a = Array.from({ length: ADD_CHAINS }, (_, i) => `a${i}`);
  const body = [];
  for (let u = 0; u < UNROLL; u++) {
    for (let i = 0; i < Math.max(MUL_CHAINS, ADD_CHAINS); i++) {
      for (const [names, op] of [[m, "f32x4.mul"], [a, "f32x4.add"]]) {
        if (i >= names.length) continue;
        const r = names[i];
        body.push(relaxed
          ? `(local.set $${r} (f32x4.relaxed_madd (local.get $${r}) (local.get $vs) (local.get $vt)))`
          : `(local.set $${r} (${op} (local.get $${r}) (local.get $${op === "f32x4.mul" ? "vs" : "vt"})))`);
      }
    }
  }
  const sum = [...m, ...a].reduce((acc, r) => (acc ? `(f32x4.add ${acc} (local.get $${r}))` : `(local.get $${r})`), "");
  return `(module
  (func (export "peak") (param $iters i32) (param $s f32) (param $t f32) (result f32)
    (local $vs v128) (local $vt v128) ${[...m, ...a].map((r) => `(local $${r} v128)`).join(" ")}
    (local.set $vs (f32x4.splat (local.get $s)))
    (local.set $vt (f32x4.splat (local.get $t)))
    ${[...m, ...a].map((r) => `(local.set $${r} (f32x4.splat (f32.const 1)))`).join("\n    ")}
    (loop $l
      ${body.join("\n      ")}
      (local.set $iters (i32.sub (local.get $iters) (i32.const 1)))
      (br_if $l (i32.gt_s (local.get $iters) (i32.const 0))))
    (f32x4.extract_lane 0 ${sum})))`;
}

/** Assembled peak module (wabt, the repository's devDependency). */
export async function peakModule(relaxed = false) {
  const wabt = await createRequire(import.meta.url)("wabt")();
  const features = { simd: true, relaxed_simd: relaxed };
  const mod = wabt.parseWat("peak.wat", peakWat(relaxed), features);
  try {
    mod.validate(features);
    return new WebAssembly.Module(mod.toBinary({}).buffer);
  } finally {
    mod.destroy();
  }
}

const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const peak = new WebAssembly.Instance(workerData.module, {}).exports.peak;
for (let i = 0; i < 20; i++) peak(1e5, 1, 0); // tier up (Wasm has no on-stack replacement)
parentPort.on("message", (iters) => { const t0 = performance.now(); peak(iters, 1, 0); parentPort.postMessage(performance.now() - t0); });
`;

/**
 * Median [min, max] GFLOP/s of the mul+add loop on `threads` threads at once (caller + threads-1 workers),
 * over `repeats` runs of about `ms` milliseconds each. Each thread's rate is its FLOP over its own time;
 * the total is their sum (the per-thread times differ by the dispatch latency only).
 */
export async function measurePeak({ threads = 1, repeats = 7, ms = 100, relaxed = false } = {}) {
  const module = await peakModule(relaxed);
  const peak = new WebAssembly.Instance(module, {}).exports.peak;
  for (let i = 0; i < 20; i++) peak(1e5, 1, 0); // tier up to TurboFan
  let iters = 1e5;
  for (let t = 0; t < ms; iters *= 2) {
    const t0 = performance.now();
    peak(iters, 1, 0);
    t = (performance.now() - t0) * 2;
  }
  const workers = Array.from({ length: threads - 1 }, () => new Worker(WORKER, { eval: true, workerData: { module } }));
  const runOn = (w) => new Promise((resolve) => { w.once("message", resolve); w.postMessage(iters); });
  await Promise.all(workers.map(runOn)); // warm-up
  const rates = [];
  for (let r = 0; r < repeats; r++) {
    const others = workers.map(runOn);
    const t0 = performance.now();
    peak(iters, 1, 0);
    const times = [performance.now() - t0, ...(await Promise.all(others))];
    rates.push(times.reduce((s, t) => s + (flopPerIter(relaxed) * iters) / (t * 1e6), 0));
  }
  await Promise.all(workers.map((w) => w.terminate()));
  rates.sort((x, y) => x - y);
  return { median: rates[rates.length >> 1], min: rates[0], max: rates[rates.length - 1] };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const threads = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 1);
  const relaxed = process.argv.includes("--relaxed");
  const r = await measurePeak({ threads, relaxed });
  console.log(`Wasm SIMD ${relaxed ? "relaxed_madd" : "mul+add"} peak, ${threads} thread(s): ${r.median.toFixed(1)} [${r.min.toFixed(1)}–${r.max.toFixed(1)}] GFLOP/s`);
}
