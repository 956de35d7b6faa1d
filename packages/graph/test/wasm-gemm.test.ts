// WebAssembly SIMD GEMM (packages/graph/src/kernels/wasm): results against a float64 triple loop, all four
// transpose combinations, edge and block-crossing sizes, one and two threads; plus the wasm heap allocator.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

type WasmKernels = typeof import("../src/kernels/wasm/index");

// Hoisted: inside jest's vm context every global lookup (Math, Number, Object) costs ~200 ns in a hot loop.
const { abs, max } = Math;
const { isFinite } = Number;
const { is } = Object;

const pkgDir = join(__dirname, "..");
const generated = join(pkgDir, "src", "kernels", "wasm", "generated", "kernels-wasm.ts");
const generatorDir = join(pkgDir, "wasm");

/** Runs the generator when its output is missing or older than a generator source; returns why it could not. */
function ensureGenerated(): string | null {
  const sources = readdirSync(generatorDir).filter((f) => f.endsWith(".mjs"));
  const stale = !existsSync(generated) || sources.some((f) => statSync(join(generatorDir, f)).mtimeMs > statSync(generated).mtimeMs);
  if (!stale) return null;
  try {
    execFileSync(process.execPath, [join(generatorDir, "gen-kernels.mjs")], { stdio: "pipe" });
    return null;
  } catch (err) {
    const out = err as { stderr?: Buffer; message?: string };
    const why = String(out.stderr ?? out.message);
    if (!existsSync(generated)) return why;
    console.warn(`wasm-gemm: could not regenerate the kernels, testing the existing (stale?) build\n${why}`);
    return null;
  }
}

const notGenerated = ensureGenerated();
if (notGenerated) {
  console.warn(`wasm-gemm tests skipped: could not generate the kernels (is wabt installed?)\n${notGenerated}`);
}
const suite = notGenerated ? describe.skip : describe;

/** Deterministic uniform values in [-1, 1). */
function randomArray(len: number, seed: number): Float32Array {
  const out = new Float32Array(len);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < len; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = (s >>> 0) / 2 ** 31 - 1;
  }
  return out;
}

/** Column-major op(A) op(B) in float64, and the matching sum of |products| for the tolerance. */
function naiveGemm(ta: boolean, tb: boolean, m: number, n: number, k: number, a: Float32Array, b: Float32Array) {
  const c = new Float64Array(m * n);
  const mag = new Float64Array(m * n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < m; i++) {
      let s = 0;
      let t = 0;
      for (let p = 0; p < k; p++) {
        const x = (ta ? a[p + i * k] : a[i + p * m]) * (tb ? b[j + p * n] : b[p + j * k]);
        s += x;
        t += abs(x);
      }
      c[i + j * m] = s;
      mag[i + j * m] = t;
    }
  }
  return { c, mag };
}

const COMBOS: Array<[boolean, boolean]> = [[false, false], [true, false], [false, true], [true, true]];
const label = (ta: boolean, tb: boolean) => `${ta ? "T" : "N"}${tb ? "T" : "N"}`;

suite("wasm SIMD GEMM", () => {
  let w: WasmKernels;

  beforeAll(() => {
    // Loaded only now: the generated module may have been written just above.
    w = require("../src/kernels/wasm/index") as WasmKernels;
    if (!w.wasmAvailable()) throw new Error(`wasm kernels unavailable: ${w.wasmUnavailableReason()}`);
  });

  afterAll(async () => {
    await w?.stopWasmThreads();
  });

  /** Runs `gemm` on fresh operands and checks C against the float64 reference (relative 1e-5). */
  function check(
    gemm: (ta: boolean, tb: boolean, m: number, n: number, k: number, a: number, b: number, c: number, acc: boolean) => void,
    ta: boolean, tb: boolean, m: number, n: number, k: number, accumulate: boolean,
  ): Float32Array {
    const A = randomArray(m * k, 11 + m + 7 * k);
    const B = randomArray(k * n, 5 + n + 3 * k);
    const C0 = randomArray(m * n, 17 + m * n);
    const a = w.wasmAlloc(4 * A.length);
    const b = w.wasmAlloc(4 * B.length);
    const c = w.wasmAlloc(4 * C0.length);
    try {
      w.wasmWriteF32(a, A);
      w.wasmWriteF32(b, B);
      w.wasmWriteF32(c, C0);
      gemm(ta, tb, m, n, k, a, b, c, accumulate);
      const got = w.wasmReadF32(c, m * n);
      const { c: ref, mag } = naiveGemm(ta, tb, m, n, k, A, B);
      let worst = 0;
      for (let i = 0; i < m * n; i++) {
        const want = ref[i] + (accumulate ? C0[i] : 0);
        const scale = mag[i] + (accumulate ? abs(C0[i]) : 0) + 1e-30;
        worst = max(worst, abs(got[i] - want) / scale);
        if (!isFinite(got[i])) worst = Infinity;
      }
      if (!(worst <= 1e-5)) throw new Error(`${label(ta, tb)} m=${m} n=${n} k=${k} acc=${accumulate}: relative error ${worst}`);
      return got;
    } finally {
      w.wasmFree(a);
      w.wasmFree(b);
      w.wasmFree(c);
    }
  }

  const SIZES: Array<[number, number, number]> = [
    [0, 0, 0], [0, 5, 3], [5, 0, 3], [4, 5, 0], [1, 1, 1], [1, 7, 1], [7, 1, 5], [3, 5, 7],
    [12, 4, 2], [12, 4, 1], [13, 5, 3], [24, 8, 9], [25, 9, 31],
    [40, 33, 257], // k crosses KC = 256 (second K block accumulates)
    [530, 9, 20], // m crosses MC = 512
    [21, 131, 17], // n crosses NC = 128
    [97, 61, 300],
  ];

  for (const [ta, tb] of COMBOS) {
    test(`one thread, ${label(ta, tb)}, edge and block-crossing sizes`, () => {
      for (const [m, n, k] of SIZES) for (const acc of [false, true]) check(w.wasmGemm, ta, tb, m, n, k, acc);
    });
  }

  test("k = 0 writes zeros, or leaves C unchanged when accumulating", () => {
    const c = w.wasmAlloc(4 * 12);
    w.wasmWriteF32(c, new Float32Array(12).fill(3));
    w.wasmGemm(false, false, 3, 4, 0, 64, 64, c, true);
    expect(Array.from(w.wasmReadF32(c, 12))).toEqual(new Array(12).fill(3));
    w.wasmGemm(true, true, 3, 4, 0, 64, 64, c, false);
    expect(Array.from(w.wasmReadF32(c, 12))).toEqual(new Array(12).fill(0));
    w.wasmFree(c);
  });

  test("wasmGemmRange computes only C[m0:m1, n0:n1]", () => {
    const [m, n, k] = [29, 23, 17];
    const A = randomArray(m * k, 1);
    const B = randomArray(k * n, 2);
    const a = w.wasmAlloc(4 * m * k);
    const b = w.wasmAlloc(4 * k * n);
    const c = w.wasmAlloc(4 * m * n);
    w.wasmWriteF32(a, A);
    w.wasmWriteF32(b, B);
    w.wasmWriteF32(c, new Float32Array(m * n).fill(-7));
    const [m0, m1, n0, n1] = [5, 20, 3, 11];
    w.wasmGemmRange(true, false, m, n, k, a, b, c, false, m0, m1, n0, n1);
    const got = w.wasmReadF32(c, m * n);
    const { c: ref } = naiveGemm(true, false, m, n, k, A, B);
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < m; i++) {
        const inside = i >= m0 && i < m1 && j >= n0 && j < n1;
        const v = got[i + j * m];
        if (inside) expect(Math.abs(v - ref[i + j * m])).toBeLessThan(1e-4);
        else expect(v).toBe(-7);
      }
    }
    [a, b, c].forEach(w.wasmFree);
  });

  test("two threads: split GEMMs match the reference and the one-thread result bit for bit", async () => {
    expect(await w.startWasmThreads()).toBe(true);
    expect(w.wasmThreadsReady()).toBe(true);
    // The worker computes every second half, even when it has to be woken first.
    w.configureWasmThreads({ callerSteals: false, sleepingSplitThreshold: 0 });
    const before = w.wasmThreadStats();
    const big: Array<[number, number, number]> = [
      [130, 150, 110], // column split, m*n*k = 2.1e6
      [61, 257, 300], // odd sizes, k crosses KC, n crosses NC
      [1100, 20, 100], // tall and narrow: row split, m crosses MC
    ];
    let calls = 0;
    for (const [ta, tb] of COMBOS) {
      for (const [m, n, k] of big) {
        for (const acc of [false, true]) {
          const two = check(w.wasmGemmParallel, ta, tb, m, n, k, acc);
          const one = check(w.wasmGemm, ta, tb, m, n, k, acc);
          let differ = 0;
          for (let i = 0; i < one.length; i++) if (!is(one[i], two[i])) differ++;
          expect(differ).toBe(0);
          calls++;
        }
      }
    }
    expect(w.wasmThreadStats().splitCalls - before.splitCalls).toBe(calls);
    expect(w.wasmThreadStats().lateHalves).toBe(before.lateHalves);
    // Default policy: a late worker's half is done by the caller; same results either way.
    w.configureWasmThreads({ callerSteals: true });
    for (const [ta, tb] of COMBOS) check(w.wasmGemmParallel, ta, tb, 61, 257, 300, true);
    w.configureWasmThreads({ sleepingSplitThreshold: 8e6 });
    // Below the threshold (5e5) the caller's thread does everything.
    const small = w.wasmThreadStats().splitCalls;
    check(w.wasmGemmParallel, false, false, 64, 64, 64, false);
    expect(w.wasmThreadStats().splitCalls).toBe(small);
  });

  test("allocator: alignment, reuse after free, growth re-derives views", () => {
    const p = w.wasmAlloc(100, 256);
    expect(p % 256).toBe(0);
    expect(p).toBeGreaterThan(0);
    expect(w.wasmBlockSize(p)).toBe(128);
    const q = w.wasmAlloc(10);
    expect(q % 64).toBe(0);
    w.wasmFree(p);
    expect(() => w.wasmFree(p)).toThrow(/not an allocated block/);
    const before = w.wasmHeapStats();
    const oldView = w.wasmF32();
    const bigBlock = w.wasmAlloc(before.memoryBytes); // forces growth
    const after = w.wasmHeapStats();
    expect(after.memoryBytes).toBeGreaterThan(before.memoryBytes);
    expect(w.wasmF32().length).toBe(after.memoryBytes / 4);
    expect(oldView.length).toBe(before.memoryBytes / 4); // why views must never be cached
    w.wasmF32()[(bigBlock + before.memoryBytes - 4) / 4] = 42;
    expect(w.wasmReadF32(bigBlock + before.memoryBytes - 4, 1)[0]).toBe(42);
    w.wasmFree(bigBlock);
    w.wasmFree(q);
    expect(w.wasmHeapStats().usedBytes).toBe(before.usedBytes - 64);
  });

  test("scratch size rule", () => {
    const { MR, NR, KU, KC, MC, NC } = w.GEMM_F32_PARAMS;
    const round = (x: number, u: number) => Math.ceil(x / u) * u;
    for (const [m, n, k] of [[1, 1, 1], [100, 37, 300], [5000, 5000, 5000]]) {
      const kcp = round(Math.min(k, KC), KU);
      const want = round(round(Math.min(m, MC), MR) * kcp * 4, 64) + round(round(Math.min(n, NC), NR) * kcp * 4, 64) + round(MR * NR * 4, 64);
      expect(w.gemmScratchBytes(m, n, k)).toBe(want);
    }
    expect(w.gemmMaxScratchBytes()).toBe(w.gemmScratchBytes(1 << 30, 1 << 30, 1 << 30));
  });

  test("rejects operands outside the wasm memory", () => {
    expect(() => w.wasmGemm(false, false, 4, 4, 4, 64, 64, 2 ** 31 - 64, false)).toThrow(RangeError);
    expect(() => w.wasmGemm(false, false, -1, 4, 4, 64, 64, 64, false)).toThrow(RangeError);
  });
});
