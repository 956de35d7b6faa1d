// GFLOP/s of the JS GEMM kernel: `node scripts/run-ts.mjs bench/gemm-js.ts [sizes...]`.
// Median of REPEATS timed runs, each at least MIN_MS long, after a warm-up. On a shared or virtualised
// machine pin the process (e.g. `taskset -c 1 node ...`): timings vary a lot between cores and over time.
import { gemm, type FloatArray } from "../packages/graph/src/kernels/gemm";

const REPEATS = 7;
const MIN_MS = 50;
const COMBOS: Array<[boolean, boolean]> = [[false, false], [true, false], [false, true], [true, true]];
const sizes = process.argv.slice(2).map(Number).filter((x) => x > 0);
if (sizes.length === 0) sizes.push(64, 128, 256, 512);

/** Number of gemm(tA, tB) calls on N x N x N operands that take at least MIN_MS (the search doubles as warm-up). */
function calibrate(run: () => void): number {
  let calls = 1;
  for (;;) {
    const t0 = performance.now();
    for (let q = 0; q < calls; q++) run();
    const ms = performance.now() - t0;
    if (ms >= MIN_MS) return calls;
    calls = Math.max(calls * 2, Math.ceil((calls * MIN_MS * 1.2) / Math.max(ms, 0.01)));
  }
}

/** Median GFLOP/s of each transpose combination; the combinations are timed in interleaved rounds so that
 * slow phases of a noisy machine hit all four alike. */
function measure(a: FloatArray, b: FloatArray, c: FloatArray, n: number): number[] {
  const runs = COMBOS.map(([tA, tB]) => () => gemm(tA, tB, n, n, n, a, 0, b, 0, c, 0, false));
  const calls = runs.map(calibrate);
  const rates: number[][] = runs.map(() => []);
  for (let r = 0; r < REPEATS; r++) {
    runs.forEach((run, i) => {
      const t0 = performance.now();
      for (let q = 0; q < calls[i]!; q++) run();
      rates[i]!.push((2 * n * n * n * calls[i]!) / ((performance.now() - t0) * 1e6));
    });
  }
  return rates.map((rs) => rs.sort((x, y) => x - y)[rs.length >> 1]!);
}

console.log(`JS GEMM, GFLOP/s (median of ${REPEATS} runs of >= ${MIN_MS} ms), column-major C = op(A) op(B), m = n = k = N`);
console.log("dtype     N     NN     TN     NT     TT   spread");
for (const T of [Float32Array, Float64Array]) {
  for (const n of sizes) {
    const a = new T(n * n), b = new T(n * n), c = new T(n * n);
    for (let i = 0; i < n * n; i++) { a[i] = Math.random() - 0.5; b[i] = Math.random() - 0.5; }
    const rates = measure(a, b, c, n);
    const spread = Math.max(...rates) / Math.min(...rates) - 1;
    const label = T === Float32Array ? "float32" : "float64";
    console.log(`${label} ${String(n).padStart(5)} ${rates.map((g) => g.toFixed(2).padStart(6)).join(" ")}  ${(spread * 100).toFixed(1).padStart(5)}%`);
  }
}
