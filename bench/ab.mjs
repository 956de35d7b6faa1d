// A/B two checkouts of tsflux in one process run:
//
//   node bench/ab.mjs <checkout A> <checkout B> [--rounds 5] [--ms 400] [--steps W1,W2,W4,adam]
//
// Each checkout's package sources are bundled once (esbuild, `@tsflux/*` resolved to that checkout's
// packages/*/src). Every round then times each step once in A and once in B, each time in a fresh child
// process, the two sides alternating (A, B in even rounds, B, A in odd ones), so a busy spell of a shared
// machine falls on both. A child warms the step up and reports its median rate over three windows of
// --ms, and its calls per CPU-second over those windows (the process's user + system time, worker
// threads included), which a busy machine disturbs far less than the wall clock. The tables give, per
// side, the median over the rounds with the min–max, and B/A of the medians.
//
// Steps: W1 (seed workload: gradient + Adam update, batch 1), W2 (MLP training step, batch 128), W4
// (compiled inference, batch 1024), adam (`update` of Adam on W2's 669,706 parameters in the Wasm heap),
// W5 (LeNet-5 training step, batch 128).
// The workloads are this checkout's bench/tsflux.ts, bench/conv-tsflux.ts and bench/optim-workload.ts, with
// data from bench/common.mjs and bench/conv-common.mjs; a checkout whose API they do not compile against runs its own copy of the file, and
// the table says which.
import { build } from "esbuild";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));

/** What each step runs, from the bundle of its workload file; `unit` scales a call to the rate shown. */
const STEPS = {
  W1: { file: "tsflux.ts", unit: 1, label: "W1 seed step (gradient + Adam), steps/s", make: (m, c) => m.trainStep(c.workload1(), "W1").step },
  W2: { file: "tsflux.ts", unit: 1, label: "W2 training step, batch 128, steps/s", make: (m, c) => m.trainStep(c.workload2(), "W2").step },
  W4: {
    file: "tsflux.ts", unit: 1024, label: "W4 compiled inference, batch 1024, samples/s",
    make: (m, c) => {
      const rng = c.mulberry32(9);
      const inf = m.inference(c.workload2(), Float32Array.from({ length: 784 * 1024 }, () => 2 * rng() - 1), 1024);
      return typeof inf === "function" ? inf : inf.compiled;
    },
  },
  adam: { file: "optim-workload.ts", unit: 1, label: "Adam update of W2's parameters (Wasm heap), updates/s", make: (m) => m.adamStep() },
  W5: { file: "conv-tsflux.ts", unit: 1, label: "W5 LeNet-5 training step, batch 128, steps/s", make: (m, c) => m.lenetStep(c.workload5()).step },
};

/** Times one step of one bundle and prints `{ wall, cpu }` (calls per second, calls per CPU-second) as JSON. */
async function child([bundle, step, ms]) {
  const common = { ...(await import(pathToFileURL(join(here, "common.mjs")).href)), ...(await import(pathToFileURL(join(here, "conv-common.mjs")).href)) };
  const run = STEPS[step].make(await import(pathToFileURL(bundle).href), common);
  for (let i = 0; i < 5; i++) await run();
  let calls = 0;
  const counted = () => {
    calls++;
    return run();
  };
  const cpu0 = process.cpuUsage();
  const wall = await common.measure(counted, { warmup: 0, repeats: 3, minMs: Number(ms) });
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(JSON.stringify({ wall: wall.median, cpu: calls / ((cpu.user + cpu.system) / 1e6) }));
}

function options(args) {
  const flag = (name, fallback) => {
    const i = args.indexOf(`--${name}`);
    return i < 0 ? fallback : args[i + 1];
  };
  const dirs = args.filter((a, i) => !a.startsWith("--") && !(i > 0 && args[i - 1].startsWith("--")));
  if (dirs.length !== 2) {
    console.error("usage: node bench/ab.mjs <checkout A> <checkout B> [--rounds 5] [--ms 400] [--steps W1,W2,W4,adam]");
    process.exit(2);
  }
  const steps = flag("steps", Object.keys(STEPS).join(",")).split(",");
  for (const s of steps) if (!(s in STEPS)) throw new Error(`ab: unknown step '${s}' (known: ${Object.keys(STEPS).join(", ")})`);
  return { dirs: dirs.map((d) => resolve(d)), rounds: Math.max(5, Number(flag("rounds", 5))), ms: Number(flag("ms", 400)), steps };
}

/** The commit a checkout is at, marked when its tree has uncommitted changes. */
function describe(dir) {
  const git = (...a) => execFileSync("git", ["-C", dir, ...a], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  try {
    return `${git("log", "-1", "--format=%h %s").slice(0, 72)}${git("status", "--porcelain", "--untracked-files=no") ? " (+ uncommitted changes)" : ""}`;
  } catch {
    return "(not a git checkout)";
  }
}

/**
 * Bundles a workload file against a checkout's sources into its node_modules/.cache (so its own
 * dependencies resolve): this checkout's copy first, the checkout's own copy when this one does not build.
 */
async function bundle(dir, file, tag) {
  const outdir = join(dir, "node_modules", ".cache", "ab");
  mkdirSync(outdir, { recursive: true });
  const outfile = join(outdir, `${tag}-${file.replace(/\.ts$/, "")}.mjs`);
  const sources = { name: "sources", setup: (b) => b.onResolve({ filter: /^@tsflux\// }, ({ path }) => {
    const [, pkg, sub] = path.match(/^@tsflux\/([a-z-]+)(?:\/(.*))?$/);
    return { path: join(dir, "packages", pkg, "src", sub ? `${sub}/index.ts` : "index.ts") };
  }) };
  const attempt = (entry) => build({
    entryPoints: [entry], outfile, bundle: true, platform: "node", target: "node20", format: "esm",
    packages: "external", logLevel: "silent", plugins: [sources],
  });
  try {
    await attempt(join(here, file));
    return { outfile, source: "shared" };
  } catch (shared) {
    const own = join(dir, "bench", file);
    if (!existsSync(own) || own === join(here, file)) return { error: shared.message.split("\n")[0] };
    try {
      await attempt(own);
      return { outfile, source: "own" };
    } catch (e) {
      return { error: e.message.split("\n")[0] };
    }
  }
}

function runChild(outfile, step, ms) {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--child", outfile, step, String(ms)], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`ab: ${step} failed in ${outfile}:\n${r.stderr}`);
  return JSON.parse(r.stdout);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (v) => (v >= 100 ? v.toFixed(0) : v.toFixed(1));

async function parent(args) {
  const { dirs, rounds, ms, steps } = options(args);
  const sides = ["A", "B"].map((name, i) => ({ name, dir: dirs[i], commit: describe(dirs[i]), bundles: {} }));
  for (const side of sides) {
    for (const file of new Set(steps.map((s) => STEPS[s].file))) side.bundles[file] = await bundle(side.dir, file, side.name);
  }
  const runnable = steps.filter((s) => sides.every((side) => side.bundles[STEPS[s].file].outfile));
  for (const s of steps.filter((x) => !runnable.includes(x))) {
    console.log(`skipped ${s}: ${sides.map((side) => `${side.name}: ${side.bundles[STEPS[s].file].error ?? "ok"}`).join("; ")}`);
  }
  for (const side of sides) console.log(`${side.name}: ${side.dir} at ${side.commit}`);
  console.log(`${rounds} rounds, each step once per side per round in a fresh process (3 windows of ${ms} ms after 5 warm-up calls)\n`);

  const wall = Object.fromEntries(runnable.map((s) => [s, { A: [], B: [] }]));
  const cpu = Object.fromEntries(runnable.map((s) => [s, { A: [], B: [] }]));
  for (let r = 0; r < rounds; r++) {
    for (const s of runnable) {
      for (const side of r % 2 === 0 ? sides : [...sides].reverse()) {
        const rate = runChild(side.bundles[STEPS[s].file].outfile, s, ms);
        wall[s][side.name].push(rate.wall * STEPS[s].unit);
        cpu[s][side.name].push(rate.cpu * STEPS[s].unit);
      }
    }
    console.log(`round ${r + 1}: ${runnable.map((s) => `${s} A ${fmt(wall[s].A[r])} B ${fmt(wall[s].B[r])}`).join(" | ")}`);
  }

  const cell = (xs) => `${fmt(median(xs))} (${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))})`;
  const workload = (s) => sides.map((side) => `${side.name}: ${side.bundles[STEPS[s].file].source === "own" ? "own" : "shared"}`).join(", ");
  for (const [title, rates] of [["per second of wall clock", wall], ["per CPU-second", cpu]]) {
    console.log(`\n| step (${title}) | A: median (min–max) | B: median (min–max) | B / A | workload file |`);
    console.log("| --- | ---: | ---: | ---: | --- |");
    for (const s of runnable) {
      const { A, B } = rates[s];
      console.log(`| ${STEPS[s].label} | ${cell(A)} | ${cell(B)} | ${(median(B) / median(A)).toFixed(2)} | ${workload(s)} |`);
    }
  }
}

if (process.argv[2] === "--child") await child(process.argv.slice(3));
else await parent(process.argv.slice(2));
