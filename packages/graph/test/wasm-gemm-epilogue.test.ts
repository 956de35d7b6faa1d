// The GEMM's fused epilogue C = act(op(A) op(B) + bias[row]) (kernels/wasm/gemm-epilogue.ts): values
// against a float64 triple loop, and bit-identity with the unfused GEMM followed by a float32 bias add and
// relu written here, over edge and block-crossing sizes, all transpose combinations and every mode.
import * as wasmKernels from "../src/kernels/wasm/index";
import * as epilogue from "../src/kernels/wasm/gemm-epilogue";
type WasmKernels = typeof wasmKernels;
type Epilogue = typeof epilogue;
import { naiveGemm, randomFloats } from "./gemm-reference";

const { abs, max, fround } = Math;
const { is } = Object;


const relu = (x: number): number => (x < 0 ? 0 : x);
const COMBOS: Array<[boolean, boolean]> = [[false, false], [true, false], [false, true], [true, true]];
const MODES: Array<[boolean, "identity" | "relu"]> = [[true, "identity"], [true, "relu"], [false, "relu"], [false, "identity"]];
const SIZES: Array<[number, number, number]> = [
  [1, 1, 1], [7, 3, 5], [8, 4, 3], [13, 5, 3], [25, 9, 31], [4, 5, 0],
  [40, 33, 257], // k crosses KC = 256: the epilogue runs on the last K block only
  [530, 9, 20], // m crosses MC = 512: bias rows of the second row block
  [21, 131, 17], // n crosses NC = 128
];

describe("wasm GEMM with a fused bias + activation epilogue", () => {
  let w: WasmKernels;
  let e: Epilogue;

  beforeAll(() => {
    w = wasmKernels;
    e = epilogue;
    if (!w.wasmAvailable()) throw new Error(`wasm kernels unavailable: ${w.wasmUnavailableReason()}`);
  });

  /** Fused and unfused results for one case; throws on a value error beyond 1e-5 relative. */
  function run(ta: boolean, tb: boolean, m: number, n: number, k: number, hasBias: boolean, act: "identity" | "relu") {
    const A = randomFloats(m * k, 3 + m + 5 * k);
    const B = randomFloats(k * n, 7 + n + 11 * k);
    const bias = randomFloats(m, 13 + m);
    const [a, b, c, bb] = [w.wasmAlloc(4 * m * k), w.wasmAlloc(4 * k * n), w.wasmAlloc(4 * m * n), w.wasmAlloc(4 * m)];
    try {
      w.wasmWriteF32(a, A);
      w.wasmWriteF32(b, B);
      w.wasmWriteF32(bb, bias);
      w.wasmWriteF32(c, new Float32Array(m * n).fill(99)); // overwritten, never accumulated
      e.wasmGemmBiasAct(ta, tb, m, n, k, a, b, c, hasBias ? bb : 0, act);
      const fused = w.wasmReadF32(c, m * n);
      w.wasmGemm(ta, tb, m, n, k, a, b, c, false);
      const plain = w.wasmReadF32(c, m * n);
      const { c: ref, mag } = naiveGemm(ta, tb, m, n, k, A, B);
      let worst = 0;
      for (let j = 0; j < n; j++) {
        for (let i = 0; i < m; i++) {
          const at = i + j * m;
          const bi = hasBias ? bias[i]! : 0;
          const want = act === "relu" ? relu(ref[at]! + bi) : ref[at]! + bi;
          worst = max(worst, abs(fused[at]! - want) / (mag[at]! + abs(bi) + 1e-30));
          const unfused = hasBias ? fround(plain[at]! + bi) : plain[at]!;
          if (!is(fused[at]!, act === "relu" ? relu(unfused) : unfused)) {
            throw new Error(`m=${m} n=${n} k=${k} (${i}, ${j}): fused ${fused[at]} != unfused ${unfused}`);
          }
        }
      }
      if (!(worst <= 1e-5)) throw new Error(`m=${m} n=${n} k=${k}: relative error ${worst}`);
    } finally {
      [a, b, c, bb].forEach(w.wasmFree);
    }
  }

  for (const [hasBias, act] of MODES) {
    test(`${hasBias ? "bias + " : ""}${act}: values vs float64, bit-identical to the unfused GEMM + add + act`, () => {
      for (const [ta, tb] of COMBOS) for (const [m, n, k] of SIZES) run(ta, tb, m, n, k, hasBias, act);
    });
  }

  test("NaN passes through relu as the elementwise relu lets it (x < 0 ? 0 : x); negatives become +0", () => {
    const [m, n, k] = [9, 5, 1];
    const [a, b, c, bb] = [w.wasmAlloc(4 * m), w.wasmAlloc(4 * n), w.wasmAlloc(4 * m * n), w.wasmAlloc(4 * m)];
    w.wasmWriteF32(a, new Float32Array(m).fill(0));
    w.wasmWriteF32(b, new Float32Array(n).fill(-1)); // 0 * -1 = -0 in every product
    const bias = new Float32Array(m).fill(-0);
    bias[2] = NaN;
    bias[4] = -3;
    w.wasmWriteF32(bb, bias);
    e.wasmGemmBiasAct(false, false, m, n, k, a, b, c, bb, "relu");
    const got = w.wasmReadF32(c, m * n);
    for (let j = 0; j < n; j++) {
      expect(got[2 + j * m]).toBeNaN();
      expect(is(got[4 + j * m], 0)).toBe(true);
      expect(is(got[0 + j * m], 0)).toBe(true); // the accumulators start at +0, and +0 + -0 = +0
    }
    [a, b, c, bb].forEach(w.wasmFree);
  });

  test("the range entry writes only C[m0:m1, n0:n1]", () => {
    const [m, n, k] = [29, 23, 17];
    const A = randomFloats(m * k, 1);
    const B = randomFloats(k * n, 2);
    const bias = randomFloats(m, 3);
    const [a, b, c, bb] = [w.wasmAlloc(4 * m * k), w.wasmAlloc(4 * k * n), w.wasmAlloc(4 * m * n), w.wasmAlloc(4 * m)];
    w.wasmWriteF32(a, A);
    w.wasmWriteF32(b, B);
    w.wasmWriteF32(bb, bias);
    w.wasmWriteF32(c, new Float32Array(m * n).fill(-7));
    e.wasmGemmBiasActRange(false, false, m, n, k, a, b, c, bb, "relu", false, 5, 20, 3, 11);
    const got = w.wasmReadF32(c, m * n);
    const { c: ref } = naiveGemm(false, false, m, n, k, A, B);
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < m; i++) {
        const inside = i >= 5 && i < 20 && j >= 3 && j < 11;
        if (inside) expect(abs(got[i + j * m]! - relu(ref[i + j * m]! + bias[i]!))).toBeLessThan(1e-5);
        else expect(got[i + j * m]).toBe(-7);
      }
    }
    [a, b, c, bb].forEach(w.wasmFree);
  });

  test("rejects an unknown activation and a bias outside the memory", () => {
    const c = w.wasmAlloc(64);
    expect(() => e.wasmGemmBiasAct(false, false, 2, 2, 2, c, c, c, 0, "tanh" as never)).toThrow(/unknown activation 'tanh'/);
    expect(() => e.wasmGemmBiasAct(false, false, 2, 2, 2, c, c, c, 2 ** 31, "relu")).toThrow(/bias .* outside the wasm memory/);
    w.wasmFree(c);
  });
});
