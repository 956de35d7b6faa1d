// Products with a dimension of one (kernels/wasm/skinny-gemm.ts: gemv_f32 and ger_f32): every shape
// family (n = 1, m = 1, k = 1), every transpose combination and epilogue mode, sizes with vector and
// scalar tails, against a float64 triple loop; and the shapes they leave to the blocked GEMM.
import { wasmSkinnyGemm } from "../src/kernels/wasm/skinny-gemm";
import { naiveGemm, onHeap, randomFloats } from "./gemm-reference";

const { abs, max, fround } = Math;
const COMBOS: Array<[boolean, boolean]> = [[false, false], [true, false], [false, true], [true, true]];
/** Epilogue modes: bit 0 bias, bit 1 relu. */
const MODES = [0, 1, 2, 3];
const relu = (x: number): number => (x < 0 ? 0 : x);
const ROWS = [1, 3, 4, 5, 16, 17, 35];
const DEPTHS = [1, 2, 5, 33];
const SHAPES: Array<[string, number, number, number]> = [
  ...ROWS.flatMap((m) => DEPTHS.map((k): [string, number, number, number] => ["n = 1", m, 1, k])),
  ...ROWS.flatMap((n) => DEPTHS.map((k): [string, number, number, number] => ["m = 1", 1, n, k])),
  ...ROWS.flatMap((m) => [1, 2, 7].map((n): [string, number, number, number] => ["k = 1", m, n, 1])),
];

/** Runs one product through wasmSkinnyGemm; returns the result, or undefined when it declined. */
function skinny(ta: boolean, tb: boolean, m: number, n: number, k: number, A: Float32Array, B: Float32Array, bias: Float32Array, epi: number) {
  // C starts as 99s: overwritten, never accumulated
  return onHeap(A, B, bias, new Float32Array(m * n).fill(99), (a, b, c, bb) => wasmSkinnyGemm(ta, tb, m, n, k, a, b, c, (epi & 1) !== 0 ? bb : 0, epi));
}

describe("skinny products in WebAssembly", () => {
  test.each(MODES)("epilogue mode %i: every skinny shape and transpose combination matches the float64 product", (epi) => {
    let checked = 0;
    for (const [family, m, n, k] of SHAPES) {
      if (family === "m = 1" && epi !== 0 && m === 1 && n !== 1 && k !== 1) continue; // a per-row bias of a single row: declined, tested below
      for (const [ta, tb] of COMBOS) {
        const A = randomFloats(m * k, 3 + m + 5 * k), B = randomFloats(k * n, 7 + n + 11 * k), bias = randomFloats(m, 13 + m);
        const got = skinny(ta, tb, m, n, k, A, B, bias, epi);
        if (got === undefined) throw new Error(`${family} m=${m} n=${n} k=${k}: declined`);
        const { c: ref, mag } = naiveGemm(ta, tb, m, n, k, A, B);
        let worst = 0;
        for (let j = 0; j < n; j++) {
          for (let i = 0; i < m; i++) {
            const at = i + j * m, b = (epi & 1) !== 0 ? bias[i]! : 0, sum = ref[at]! + b;
            const want = (epi & 2) !== 0 ? relu(sum) : sum;
            worst = max(worst, abs(got[at]! - want) / (mag[at]! + abs(b) + 1e-30));
          }
        }
        if (!(worst <= 2e-6)) throw new Error(`${family} ta=${ta} tb=${tb} m=${m} n=${n} k=${k}: relative error ${worst}`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(200);
  });

  test("the epilogue is the unfused sum plus the bias in Float32, then relu (bit for bit)", () => {
    for (const [family, m, n, k] of SHAPES.filter(([f]) => f !== "m = 1")) {
      const A = randomFloats(m * k, 1 + m), B = randomFloats(k * n, 2 + n), bias = randomFloats(m, 3);
      const plain = skinny(false, false, m, n, k, A, B, bias, 0)!, fused = skinny(false, false, m, n, k, A, B, bias, 3)!;
      for (let at = 0; at < m * n; at++) {
        if (!Object.is(fused[at], relu(fround(plain[at]! + bias[at % m]!)))) throw new Error(`${family} m=${m} n=${n} k=${k}: element ${at}`);
      }
    }
  });

  test("other shapes, and a row vector with an epilogue, are left to the blocked GEMM", () => {
    const none = new Float32Array(64);
    expect(skinny(false, false, 2, 3, 4, none, none, none, 0)).toBeUndefined();
    expect(skinny(false, false, 1, 3, 4, none, none, none, 1)).toBeUndefined();
    expect(skinny(false, false, 3, 2, 0, none, none, none, 0)).toBeUndefined();
  });
});
