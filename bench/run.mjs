// `npm run bench`: tsflux, tfjs (cpu, wasm) and jax-js (wasm) on the same workloads in one process.
// Prints steps/s (medians), GFLOP/s, ratios, and typed-array bytes allocated per warm step, and
// writes the table into bench/README.md with the date and the machine.
import { build } from "esbuild";
import { execSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { torchRates } from "./torch.mjs";
import { workload1, workload2, workload6, gemmOperands, measure, W2_FLOP, W4_FLOP, W6, W6_FLOP, mulberry32 } from "./common.mjs";

const here = new URL(".", import.meta.url).pathname;
const root = join(here, "..");
const quick = process.env.BENCH_QUICK === "1";
const timing = quick ? { warmup: 2, repeats: 3, minMs: 100 } : { warmup: 5, repeats: 5, minMs: 400 };

if (!existsSync(join(here, "node_modules", "@jax-js"))) {
  console.log("installing the peers (bench/package.json) ...");
  execSync("npm ci --no-audit --no-fund", { cwd: here, stdio: "inherit" });
}

async function loadTsflux() {
  const outdir = join(root, "node_modules", ".cache", "bench");
  mkdirSync(outdir, { recursive: true });
  const outfile = join(outdir, "tsflux-bench.mjs");
  await build({
    entryPoints: [join(here, "tsflux.ts")], outfile, bundle: true, platform: "node", target: "node20", format: "esm",
    packages: "external", logLevel: "warning",
    plugins: [{ name: "sources", setup: (b) => b.onResolve({ filter: /^@tsflux\// }, ({ path }) => {
      const [, pkg, sub] = path.match(/^@tsflux\/([a-z-]+)(?:\/(.*))?$/);
      return { path: join(root, "packages", pkg, "src", sub ? `${sub}/index.ts` : "index.ts") };
    }) }],
  });
  return import(pathToFileURL(outfile).href);
}

/** Counts the bytes of typed arrays constructed while `f` runs (JS side only; Wasm heaps are not visible). */
async function typedArrayBytes(f, steps) {
  const kinds = [Float32Array, Float64Array, Int32Array, Uint8Array, Uint32Array, Int8Array, Int16Array, Uint16Array];
  let bytes = 0;
  const originals = kinds.map((K) => globalThis[K.name]);
  kinds.forEach((K, i) => {
    globalThis[K.name] = new Proxy(originals[i], { construct(target, args) { const a = Reflect.construct(target, args); if (typeof args[0] === "number" || Array.isArray(args[0]) || ArrayBuffer.isView(args[0])) bytes += a.byteLength; return a; } });
  });
  try {
    for (let i = 0; i < steps; i++) await f();
  } finally {
    kinds.forEach((K, i) => (globalThis[K.name] = originals[i]));
  }
  return bytes / steps;
}

const tsflux = await loadTsflux();
const tfjs = await import("./peers/tfjs.mjs");
const jaxjs = await import("./peers/jaxjs.mjs");
await jaxjs.ready();

const frameworks = [
  { name: "tsflux", setup: async () => {}, impl: tsflux },
  { name: "tfjs-cpu", setup: () => tfjs.useBackend("cpu"), impl: tfjs },
  { name: "tfjs-wasm", setup: () => tfjs.useBackend("wasm"), impl: tfjs },
  { name: "jax-js", setup: async () => {}, impl: jaxjs },
];

const results = {};
const firstLosses = { W1: {}, W2: {}, W6: {} };
// W6 (an LSTM step) is slow in the peers (seconds to a minute a step): few rounds, and tfjs-cpu skips it
const w6Timing = { "tfjs-wasm": { warmup: 1, repeats: 3, minMs: 1000 }, "jax-js": { warmup: 1, repeats: 1, minMs: 1 } };
for (const fw of frameworks) {
  await fw.setup();
  const r = (results[fw.name] = {});
  for (const kind of ["W1", "W2"]) {
    if (kind === "W2" && fw.name === "tfjs-cpu" && quick) continue;
    const t = fw.impl.trainStep(kind === "W1" ? workload1() : workload2(), kind);
    firstLosses[kind][fw.name] = await t.firstLoss();
    const slow = fw.name === "tfjs-cpu" && kind === "W2";
    r[kind] = await measure(t.step, slow ? { warmup: 1, repeats: 3, minMs: 1000 } : timing);
    r[`${kind}bytes`] = await typedArrayBytes(t.step, slow ? 2 : 20);
    process.stdout.write(`${fw.name} ${kind}: ${r[kind].median.toFixed(1)} steps/s\n`);
    if (t.inlineStep) {
      // a fresh model and optimiser state: both styles are timed from the same starting point of training
      const ti = fw.impl.trainStep(kind === "W1" ? workload1() : workload2(), kind);
      r[`${kind}inline`] = await measure(ti.inlineStep, timing);
      r[`${kind}inlineBytes`] = await typedArrayBytes(ti.inlineStep, 20);
      process.stdout.write(`${fw.name} ${kind} inline closure: ${r[`${kind}inline`].median.toFixed(1)} steps/s\n`);
    }
  }
  for (const n of [256, 1024]) {
    if (n === 1024 && fw.name === "tfjs-cpu") continue;
    const g = fw.impl.gemm(gemmOperands(n), n);
    const m = await measure(g, { ...timing, minMs: Math.max(timing.minMs, 300) });
    r[`gemm${n}`] = (m.median * 2 * n ** 3) / 1e9;
    process.stdout.write(`${fw.name} sgemm ${n}: ${r[`gemm${n}`].toFixed(1)} GFLOP/s\n`);
  }
  if (fw.name !== "tfjs-cpu") {
    const t = fw.impl.lstmTrainStep(workload6(), W6);
    firstLosses.W6[fw.name] = await t.firstLoss();
    r.W6 = await measure(t.step, w6Timing[fw.name] ?? timing);
    r.W6bytes = fw.name === "jax-js" ? undefined : await typedArrayBytes(t.step, fw.name === "tsflux" ? 5 : 1);
    process.stdout.write(`${fw.name} W6: ${r.W6.median.toFixed(2)} steps/s\n`);
  }
  if (fw.name !== "tfjs-cpu" || !quick) {
    const rng = mulberry32(9);
    const x = Float32Array.from({ length: 784 * 1024 }, () => 2 * rng() - 1);
    const inf = fw.impl.inference(workload2(), x, 1024);
    const m = await measure(typeof inf === "function" ? inf : inf.compiled, fw.name === "tfjs-cpu" ? { warmup: 1, repeats: 3, minMs: 1000 } : timing);
    r.W4 = m.median * 1024;
    process.stdout.write(`${fw.name} W4: ${r.W4.toFixed(0)} samples/s\n`);
    if (inf.eager) {
      r.W4eager = (await measure(inf.eager, timing)).median * 1024;
      process.stdout.write(`${fw.name} W4 eager model.forward: ${r.W4eager.toFixed(0)} samples/s\n`);
    }
  }
}

// the first loss must agree across frameworks (the same model, weights and data)
for (const kind of ["W1", "W2", "W6"]) {
  const values = Object.values(firstLosses[kind]);
  const spread = Math.max(...values) - Math.min(...values);
  if (!(spread < 1e-3)) throw new Error(`${kind}: first losses disagree: ${JSON.stringify(firstLosses[kind])}`);
}

const fmt = (v, d = 1) => (v === undefined || Number.isNaN(v) ? "–" : v >= 1000 ? `${(v / 1000).toFixed(2)}k` : v.toFixed(d));
const rows = frameworks.map(({ name }) => {
  const r = results[name];
  return `| ${name} | ${fmt(r.W1?.median)} | ${fmt(r.W2?.median)} | ${fmt(r.W2 ? (r.W2.median * W2_FLOP) / 1e9 : undefined)} | ${fmt(r.gemm256)} | ${fmt(r.gemm1024)} | ${fmt(r.W4, 0)} | ${fmt(r.W4 ? (r.W4 / 1024) * W4_FLOP / 1e9 : undefined)} | ${fmt(r.W6?.median, 2)} | ${fmt(r.W6 ? (r.W6.median * W6_FLOP) / 1e9 : undefined)} | ${fmt(r.W1bytes, 0)} / ${fmt(r.W2bytes, 0)} / ${fmt(r.W6bytes, 0)} |`;
});
const ratio = (k, peer) => (results.tsflux[k]?.median ?? results.tsflux[k]) / (results[peer][k]?.median ?? results[peer][k]);
const ratios = ["tfjs-cpu", "tfjs-wasm", "jax-js"].map((peer) =>
  `| tsflux / ${peer} | ${fmt(ratio("W1", peer), 2)} | ${fmt(ratio("W2", peer), 2)} | | ${fmt(ratio("gemm256", peer), 2)} | ${fmt(ratio("gemm1024", peer), 2)} | ${fmt(ratio("W4", peer), 2)} | | ${fmt(ratio("W6", peer), 2)} | | |`);
const table = [
  "| framework | W1 steps/s | W2 steps/s | W2 GFLOP/s | sgemm-256 GFLOP/s | sgemm-1024 GFLOP/s | W4 samples/s | W4 GFLOP/s | W6 steps/s | W6 GFLOP/s | JS typed-array bytes / warm step (W1 / W2 / W6) |",
  "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ...rows,
  ...ratios,
].join("\n");
const t = results.tsflux;
const styles = [
  "| tsflux call style | steps/s or samples/s | against the first style | JS typed-array bytes / warm step |",
  "| --- | --- | --- | --- |",
  `| W1 named loss, gradient(loss, dup, Const(x), Const(y)) | ${fmt(t.W1.median)} | 1 | ${fmt(t.W1bytes, 0)} |`,
  `| W1 inline closure, gradient(m => loss(m(x), y), dup) | ${fmt(t.W1inline.median)} | ${fmt(t.W1inline.median / t.W1.median, 2)} | ${fmt(t.W1inlineBytes, 0)} |`,
  `| W2 named loss | ${fmt(t.W2.median)} | 1 | ${fmt(t.W2bytes, 0)} |`,
  `| W2 inline closure | ${fmt(t.W2inline.median)} | ${fmt(t.W2inline.median / t.W2.median, 2)} | ${fmt(t.W2inlineBytes, 0)} |`,
  `| W4 compiled(model)(x) | ${fmt(t.W4, 0)} | 1 | |`,
  `| W4 eager model.forward(x) | ${fmt(t.W4eager, 0)} | ${fmt(t.W4eager / t.W4, 2)} | |`,
].join("\n");
// depth sweep: Dense(16 => 16, tanh) layers, batch 4, gradient only (warm µs per layer, first call ms per layer)
const depthRows = [];
for (const depth of [10, 200, 800]) {
  const d = tsflux.deepChain(depth);
  const m = await measure(d.step, { ...timing, minMs: Math.max(timing.minMs, 300) });
  depthRows.push(`| ${depth} | ${(1e6 / m.median / depth).toFixed(1)} | ${(d.firstMs / depth).toFixed(2)} |`);
  process.stdout.write(`tsflux depth ${depth}: ${(1e6 / m.median / depth).toFixed(1)} µs/layer warm, ${(d.firstMs / depth).toFixed(2)} ms/layer first call\n`);
}
// PyTorch, if Debian's python3-torch is installed (optional; never needed by the tests)
const torch = torchRates(["W2", "W4"]);
const torchTable = torch
  ? [`| PyTorch ${torch.torch} CPU (${torch.threads} threads), same run | PyTorch | tsflux | tsflux / PyTorch |`, "| --- | --- | --- | --- |",
    `| W2 steps/s | ${fmt(torch.W2)} | ${fmt(t.W2.median)} | ${fmt(t.W2.median / torch.W2, 2)} |`,
    `| W4 samples/s, compiled(model) | ${fmt(torch.W4, 0)} | ${fmt(t.W4, 0)} | ${fmt(t.W4 / torch.W4, 2)} |`].join("\n")
  : "PyTorch: not installed here (`apt-get install python3-torch` for the side-by-side rows).";
console.log(`\n${torchTable}`);
const depthTable = ["| depth (Dense(16 => 16, tanh), batch 4) | warm µs per layer | first call ms per layer |", "| --- | --- | --- |", ...depthRows].join("\n");
console.log("\n" + table + "\n\n" + styles + "\n\n" + depthTable);
console.log(`\nfirst losses agree: W1 ${Object.values(firstLosses.W1)[0].toFixed(6)}, W2 ${Object.values(firstLosses.W2)[0].toFixed(6)}, W6 ${Object.values(firstLosses.W6)[0].toFixed(6)}`);

const machine = `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
const readme = join(here, "README.md");
const text = existsSync(readme) ? readFileSync(readme, "utf8") : "";
const marker = "<!-- results -->";
const section = `${marker}\nMeasured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${machine}${quick ? " (BENCH_QUICK)" : ""}; medians of ${timing.repeats} rounds.\n\n${table}\n\n${styles}\n\n${depthTable}\n\n${torchTable}\n`;
writeFileSync(readme, text.includes(marker) ? text.slice(0, text.indexOf(marker)) + section : `${text}\n${section}`);

// GEMM against the machine's Wasm SIMD mul+add peak at 256/512/1024, 1 and 2 threads (wasm-gemm.mjs,
// wasm-peak.mjs); printed, and appended to the results section written above.
{
  const { loadKernels, gemmVsPeak } = await import("./wasm-gemm.mjs");
  const kernels = await loadKernels();
  await kernels.startWasmThreads();
  const { table: peakTable } = await gemmVsPeak(kernels);
  await kernels.stopWasmThreads();
  console.log(`\n${peakTable}`);
  writeFileSync(readme, `${readFileSync(readme, "utf8")}\n${peakTable}\n`);
}
