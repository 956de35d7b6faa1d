// Child process of wasm-relaxed.test.ts, started with relaxed SIMD switched on: runs the relaxed-SIMD
// kernels binary's GEMM (and its epilogue) against a float64 triple loop written here, and prints a JSON
// verdict: { ran, worst, cases } where worst is the largest |C - ref| / sum|products| seen.
"use strict";
const { readFileSync } = require("node:fs");

const bytes = readFileSync(process.argv[2]);
if (!WebAssembly.validate(bytes)) {
  process.stdout.write(JSON.stringify({ ran: false }));
  process.exit(0);
}
const memory = new WebAssembly.Memory({ initial: 256, maximum: 1024, shared: true });
const ex = new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports;
const f32 = new Float32Array(memory.buffer);

let seed = 7;
const rand = () => {
  seed = (seed * 1103515245 + 12345) >>> 0;
  return seed / 2 ** 31 - 1;
};
let worst = 0;
let cases = 0;
const sizes = [[1, 1, 1], [8, 4, 3], [13, 5, 3], [25, 9, 31], [40, 33, 257], [530, 9, 20], [21, 131, 17]];
for (const [m, n, k] of sizes) {
  for (const ta of [0, 1]) {
    for (const tb of [0, 1]) {
      for (const epi of [0, 3]) {
        const a = 1 << 16, b = a + 4 * m * k + 64, c = b + 4 * k * n + 64, bias = c + 4 * m * n + 64, pack = bias + 4 * m + 64;
        for (let i = 0; i < m * k; i++) f32[a / 4 + i] = rand();
        for (let i = 0; i < k * n; i++) f32[b / 4 + i] = rand();
        for (let i = 0; i < m; i++) f32[bias / 4 + i] = rand();
        ex.gemm_f32_epi_range(ta, tb, m, n, k, a, b, c, 0, pack, 0, m, 0, n, bias, epi);
        for (let j = 0; j < n; j++) {
          for (let i = 0; i < m; i++) {
            let s = 0;
            let t = 0;
            for (let p = 0; p < k; p++) {
              const x = f32[a / 4 + (ta ? p + i * k : i + p * m)] * f32[b / 4 + (tb ? j + p * n : p + j * k)];
              s += x;
              t += Math.abs(x);
            }
            if (epi) s += f32[bias / 4 + i];
            if (epi && s < 0) s = 0;
            const err = Math.abs(f32[c / 4 + i + j * m] - s) / (t + (epi ? Math.abs(f32[bias / 4 + i]) : 0) + 1e-30);
            worst = Number.isNaN(err) ? Infinity : Math.max(worst, err);
          }
        }
        cases++;
      }
    }
  }
}
process.stdout.write(JSON.stringify({ ran: true, worst, cases }));
