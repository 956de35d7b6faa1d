// `npm run bench:conv`: the convolutional rows (W5 LeNet-5 training step, a 3x3 conv layer) for tsflux,
// tfjs-wasm and jax-js in one process; prints them and writes them into bench/README.md.
import { build } from "esbuild";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { measure } from "./common.mjs";
import { torchRates } from "./torch.mjs";
import { workload5, convLayerOperands, W5_FLOP, CONV_LAYER_FLOP } from "./conv-common.mjs";

const here = new URL(".", import.meta.url).pathname;
const root = join(here, "..");
const timing = { warmup: 3, repeats: 5, minMs: 400 };

/** The tsflux side, bundled from the package sources. */
async function loadTsflux() {
  const outfile = join(root, "node_modules", ".cache", "bench", "tsflux-conv-bench.mjs");
  mkdirSync(join(outfile, ".."), { recursive: true });
  await build({
    entryPoints: [join(here, "conv-tsflux.ts")], outfile, bundle: true, platform: "node", target: "node20", format: "esm", packages: "external", logLevel: "warning",
    plugins: [{ name: "sources", setup: (b) => b.onResolve({ filter: /^@tsflux\// }, ({ path }) => ({ path: join(root, "packages", path.slice("@tsflux/".length), "src", "index.ts") })) }],
  });
  return import(pathToFileURL(outfile).href);
}

const tsflux = await loadTsflux();
const tfjs = await import("./peers/tfjs.mjs");
const jaxjs = await import("./peers/jaxjs.mjs");
await jaxjs.ready();
const tfjsConv = await import("./peers/conv-tfjs.mjs");
const frameworks = [
  ["tsflux", tsflux, async () => {}],
  ["tfjs-cpu", tfjsConv, () => tfjs.useBackend("cpu")],
  ["tfjs-wasm", tfjsConv, () => tfjs.useBackend("wasm")],
  ["jax-js", await import("./peers/conv-jaxjs.mjs"), async () => {}],
];

/** Runs `f`, or returns NaN when the framework lacks a kernel it needs (tfjs-wasm has no conv filter gradient). */
async function supported(name, what, f) {
  try {
    return await f();
  } catch (e) {
    console.log(`${name}: ${what} not supported: ${e.message}`);
    return NaN;
  }
}

const results = {}, firstLoss = {};
for (const [name, impl, setup] of frameworks) {
  await setup();
  const slow = name === "tfjs-cpu" ? { warmup: 1, repeats: 3, minMs: 1000 } : timing;
  const w5 = await supported(name, "W5", async () => {
    const t = impl.lenetStep(workload5());
    firstLoss[name] = await t.firstLoss();
    return (await measure(t.step, slow)).median;
  });
  const layer = await supported(name, "the conv layer", async () => (await measure(impl.convLayer3x3(convLayerOperands()), slow)).median);
  results[name] = { w5, conv: (layer * CONV_LAYER_FLOP) / 1e9 };
  console.log(`${name}: W5 ${w5.toFixed(1)} steps/s, conv layer ${results[name].conv.toFixed(1)} GFLOP/s`);
}
const gemm = (await measure(tsflux.convGemm(), timing)).median * CONV_LAYER_FLOP / 1e9; // 32 products of 2·1024·576·64
console.log(`tsflux Wasm GEMM, 32 x [64x576]*[576x1024]: ${gemm.toFixed(1)} GFLOP/s`);
const losses = Object.values(firstLoss);
if (!(Math.max(...losses) - Math.min(...losses) < 1e-3)) throw new Error(`W5: first losses disagree: ${JSON.stringify(firstLoss)}`);

const fmt = (v, d = 1) => (Number.isNaN(v) ? "–" : v.toFixed(d));
const table = [
  "| framework | W5 steps/s | W5 GFLOP/s | conv 3x3 64→64 GFLOP/s |",
  "| --- | --- | --- | --- |",
  ...frameworks.map(([name]) => `| ${name} | ${fmt(results[name].w5)} | ${fmt((results[name].w5 * W5_FLOP) / 1e9)} | ${fmt(results[name].conv)} |`),
  ...["tfjs-cpu", "tfjs-wasm", "jax-js"].map((peer) => `| tsflux / ${peer} | ${fmt(results.tsflux.w5 / results[peer].w5, 2)} | | ${fmt(results.tsflux.conv / results[peer].conv, 2)} |`),
  `| tsflux Wasm GEMM alone on the products an im2col conv would run (32 × Wᵀ·colᵀ, [64×576]·[576×1024]) | | | ${fmt(gemm)} (conv at ${fmt((100 * results.tsflux.conv) / gemm, 0)} %) |`,
].join("\n");
// PyTorch, if Debian's python3-torch is installed (optional)
const torch = torchRates(["W5"]);
const torchLine = torch ? `\nPyTorch ${torch.torch} CPU (${torch.threads} threads), same run: W5 ${fmt(torch.W5)} steps/s; tsflux / PyTorch ${fmt(results.tsflux.w5 / torch.W5, 2)}.` : "";
console.log(`\n${table}${torchLine}\nfirst losses agree: W5 ${losses[0].toFixed(6)}`);

const machine = `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
const readme = join(here, "README.md");
const text = existsSync(readme) ? readFileSync(readme, "utf8") : "";
const [open, close, main] = ["<!-- conv results -->", "<!-- /conv results -->", "<!-- results -->"];
const about = [
  "- **W5**: LeNet-5 as in the Flux model zoo (two 5x5 convolutions with relu and 2x2 max pooling, then Dense 256 => 120 => 84 => 10),",
  "  28x28x1 images, batch 128, logitcrossentropy, gradient + Adam step. The same filters everywhere (tfjs and jax-js cross-correlate,",
  "  so they get tsflux's filters flipped); the run stops if the first losses differ by more than 1e-3. tfjs-wasm has no",
  "  Conv2DBackpropFilter kernel, so it cannot train a conv net: its W5 cell is \"–\" and tfjs-cpu stands in.",
  "- **conv layer**: one 3x3 convolution, 64 => 64 channels, 32x32 images, batch 32, pad 1, forward only (GFLOP/s). tsflux runs it",
  "  as a direct convolution (an implicit GEMM reading the input in place); the row below it is the Wasm GEMM's own rate on the",
  "  products an im2col convolution would run (one Wᵀ·colᵀ per image: 32 x [64 x 576] * [576 x 1024]), so above 100 % the direct",
  "  kernel beats im2col + GEMM even before im2col's own cost.",
  "  The two rates come from separate timing rounds on a shared machine: their ratio is noisy (rerun before trusting it).",
  "- **PyTorch**: its own W5 rate moves between runs more than tsflux's (its OpenMP threads spin while they wait, and",
  "  a busy machine takes that time from them): 80 to 105 steps/s were measured in separate runs here, so read the ratio of one run.",
].join("\n");
const section = `${open}\n${about}\n\nConvolutional rows (\`npm run bench:conv\`), measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${machine}; medians of ${timing.repeats} rounds.\n\n${table}\n${torchLine}\n${close}\n\n`;
const next = text.includes(open) ? text.slice(0, text.indexOf(open)) + section + text.slice(text.indexOf(close) + close.length + 2)
  : text.includes(main) ? text.replace(main, section + main) : `${text}\n${section}`;
writeFileSync(readme, next);
