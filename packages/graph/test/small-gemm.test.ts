// Small products read in place (kernels/wasm/small-gemm.ts: gemm_small_f32): the columns kernel (A not
// transposed, op(B) either way) and the dots kernel (Aᵀ B), overwriting and accumulating, with every
// epilogue mode, at sizes with vector, 4-row and scalar row tails and 1-3 leftover columns, against a
// float64 triple loop; the same products as a worker lane's job (gemm_f32_job); and the shapes they
// leave to the blocked GEMM.
import * as w from "../src/kernels/wasm/index";
import { wasmSmallGemm } from "../src/kernels/wasm/small-gemm";
import { finishPostedGemm, postWholeGemm } from "../src/kernels/wasm/threads";
import { naiveGemm, onHeap, randomFloats } from "./gemm-reference";

const { abs, max, fround } = Math;
const relu = (x: number): number => (x < 0 ? 0 : x);
/** Epilogue modes: bit 0 bias, bit 1 relu. */
const MODES = [0, 1, 2, 3];
type Shape = [boolean, boolean, number, number, number];
const ROWS = [1, 3, 4, 5, 8, 9, 13, 17, 35];
const COLS = [1, 2, 3, 4, 5, 6, 7, 9, 16];
/** Columns kernel: n <= 16 at any k up to 40, and wide n with k <= 16. */
const COLUMNS: Shape[] = [
  ...ROWS.flatMap((m) => COLS.flatMap((n) => [1, 3, 25, 40].flatMap((k) => [false, true].map((tb): Shape => [false, tb, m, n, k])))),
  ...[5, 17, 64].flatMap((m) => [23, 150].flatMap((n) => [1, 7, 16].flatMap((k) => [false, true].map((tb): Shape => [false, tb, m, n, k])))),
];
/** Dots kernel: k with vector and scalar tails; min(m, n) <= 16. */
const DOTS: Shape[] = [
  ...ROWS.flatMap((m) => COLS.flatMap((n) => [1, 3, 4, 7, 8, 33].map((k): Shape => [true, false, m, n, k]))),
  ...[[150, 16, 64], [25, 6, 576], [3, 40, 9]].map(([m, n, k]): Shape => [true, false, m!, n!, k!]),
];

interface Run { got: Float32Array | undefined; c0: Float32Array; bias: Float32Array }

/** One product on the heap through `run` (returns whether it ran), starting from random C when `acc`. */
function product([, , m, n, k]: Shape, acc: boolean, run: (a: number, b: number, c: number, bias: number) => boolean): Run & { A: Float32Array; B: Float32Array } {
  const A = randomFloats(m * k, 3 + m + 5 * k), B = randomFloats(k * n, 7 + n + 11 * k), c0 = randomFloats(m * n, 17 + m * n), bias = randomFloats(m, 5 + m);
  return { A, B, c0, bias, got: onHeap(A, B, bias, acc ? c0 : new Float32Array(m * n).fill(99), run) };
}

/** Worst relative error of a product against the float64 loop (plus C's start when accumulating, then the epilogue). */
function worstError(shape: Shape, acc: boolean, epi: number, run: (a: number, b: number, c: number, bias: number) => boolean): number {
  const [ta, tb, m, n, k] = shape;
  const { A, B, c0, bias, got } = product(shape, acc, run);
  if (got === undefined) throw new Error(`ta=${ta} tb=${tb} m=${m} n=${n} k=${k}: declined`);
  const { c: ref, mag } = naiveGemm(ta, tb, m, n, k, A, B);
  let worst = 0;
  for (let at = 0; at < m * n; at++) {
    const start = acc ? c0[at]! : 0, b = (epi & 1) !== 0 ? bias[at % m]! : 0, sum = ref[at]! + start + b;
    const want = (epi & 2) !== 0 ? relu(sum) : sum;
    worst = max(worst, abs(got[at]! - want) / (mag[at]! + abs(start) + abs(b) + 1e-30));
  }
  return worst;
}

const here = ([ta, tb, m, n, k]: Shape, acc: boolean, epi = 0) => (a: number, b: number, c: number, bias: number) =>
  wasmSmallGemm(ta, tb, m, n, k, a, b, c, acc, (epi & 1) !== 0 ? bias : 0, epi);

describe("small products in WebAssembly", () => {
  test.each([
    { kernel: "columns", shapes: COLUMNS, acc: false }, { kernel: "columns", shapes: COLUMNS, acc: true },
    { kernel: "dots", shapes: DOTS, acc: false }, { kernel: "dots", shapes: DOTS, acc: true },
  ])("$kernel kernel, accumulate $acc: every shape and epilogue mode matches the float64 product", ({ shapes, acc }) => {
    for (const epi of MODES) {
      for (const shape of shapes) {
        const worst = worstError(shape, acc, epi, here(shape, acc, epi));
        if (!(worst <= 2e-6)) throw new Error(`${shape.join(" ")} acc=${acc} epi=${epi}: relative error ${worst}`);
      }
    }
    expect(shapes.length).toBeGreaterThan(100);
  });

  test("the epilogue is the unfused sum plus the bias in Float32, then relu (bit for bit)", () => {
    for (const shape of [...COLUMNS, ...DOTS].filter((_, i) => i % 7 === 0)) {
      const plain = product(shape, false, here(shape, false, 0)).got!, { got: fused, bias } = product(shape, false, here(shape, false, 3));
      for (let at = 0; at < plain.length; at++) {
        if (!Object.is(fused![at], relu(fround(plain[at]! + bias[at % shape[2]]!)))) throw new Error(`${shape.join(" ")}: element ${at}`);
      }
    }
  });

  test("larger shapes, both transposed, and empty products are left to the blocked GEMM", () => {
    const declined: Shape[] = [[false, false, 300, 17, 300], [false, true, 5000, 20, 20], [true, false, 17, 17, 64], [true, false, 4, 8, 20000],
      [true, true, 5, 5, 5], [false, false, 4, 4, 0], [false, false, 0, 4, 4]];
    for (const shape of declined) expect(product(shape, false, here(shape, false)).got).toBeUndefined();
  });
});

describe("small products as a worker lane's job", () => {
  beforeAll(async () => {
    w.configureWasmThreads({ threads: 2, callerSteals: false, sleepingSplitThreshold: 1 });
    expect(await w.startWasmThreads()).toBe(true);
  });
  afterAll(async () => {
    w.configureWasmThreads({ callerSteals: true, sleepingSplitThreshold: 8e6 });
    await w.stopWasmThreads();
  });

  test("gemm_f32_job runs small shapes in place and others blocked, with the same results", () => {
    const shapes: Shape[] = [[false, false, 576, 6, 25], [false, true, 64, 150, 16], [true, false, 150, 16, 64], [true, false, 25, 6, 576], [true, true, 9, 5, 7], [false, false, 40, 40, 40]];
    for (const shape of shapes) {
      for (const acc of [false, true]) {
        const [ta, tb, m, n, k] = shape;
        const worst = worstError(shape, acc, 0, (a, b, c) => {
          const ticket = postWholeGemm(ta, tb, m, n, k, a, b, c, acc, 1e9);
          if (ticket === 0) return false;
          finishPostedGemm(ticket);
          return true;
        });
        if (!(worst <= 2e-6)) throw new Error(`${shape.join(" ")} acc=${acc}: relative error ${worst}`);
      }
    }
  });
});
