/**
 * The optimiser step alone: `update(state, model, grads)` on W2's parameters (Dense 784 => 512 => 512 => 10,
 * 669,706 Float32 numbers), for Adam with every array in the WebAssembly heap (the SIMD kernel), Adam on
 * JS-heap arrays (the JS loop), and a few other rules on JS-heap arrays. Prints the median time of an update
 * over many rounds, and the typed arrays a warm update allocates (must be 0).
 *
 *   node scripts/run-ts.mjs bench/optim-update.ts [rounds]
 *
 * The machine may be shared: compare two versions in one sitting, several times, and trust ratios only.
 */
import { allocationCount } from "@tsflux/graph";
import { AdaBelief, Adam, Descent, Momentum, OptimiserChain, ClipGrad, WeightDecay, type Rule } from "@tsflux/optim";
import { optimiserStep } from "./optim-workload";

const rounds = Number(process.argv[2] ?? 200);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function measure(label: string, rule: Rule, inWasmHeap: boolean): void {
  const step = optimiserStep(rule, inWasmHeap);
  for (let i = 0; i < 30; i++) step();
  const before = allocationCount();
  const times: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    step();
    times.push(Number(process.hrtime.bigint() - t0) / 1e3);
  }
  const allocated = allocationCount() - before;
  const sorted = [...times].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.floor(p * (sorted.length - 1))]!.toFixed(0);
  console.log(`${label.padEnd(36)} median ${median(times).toFixed(0).padStart(6)} µs   (p10 ${q(0.1)}, p90 ${q(0.9)})   typed arrays allocated: ${allocated}`);
}

console.log(`update on W2's parameters (669,706 Float32), ${rounds} rounds each, Node ${process.version}`);
measure("Adam, Wasm heap (SIMD kernel)", Adam(), true);
measure("Adam, JS heap (JS loop)", Adam(), false);
measure("AdaBelief, JS heap", AdaBelief(), false);
measure("Momentum, JS heap", Momentum(), false);
measure("Descent, JS heap", Descent(), false);
measure("Chain(ClipGrad, WeightDecay, Adam), JS", OptimiserChain(ClipGrad(1), WeightDecay(), Adam()), false);
