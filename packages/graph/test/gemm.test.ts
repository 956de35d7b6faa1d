import { gemm, gemmPackAllocations, type FloatArray } from "../src/kernels/gemm";

type Ctor = Float32ArrayConstructor | Float64ArrayConstructor;
const COMBOS: Array<[boolean, boolean]> = [[false, false], [true, false], [false, true], [true, true]];
const SHAPES: Array<[number, number, number]> = [
  [0, 0, 0], [0, 3, 4], [3, 0, 4], [3, 4, 0], [1, 1, 1], [1, 1, 5], [2, 2, 2], [3, 5, 7], [17, 33, 9],
  [16, 16, 16], [64, 1, 64], [1, 64, 64], [130, 70, 260], [5, 520, 3],
];

/** Deterministic pseudo-random values in [-1, 1). */
function fill(arr: FloatArray, seed: number): void {
  let s = seed >>> 0 || 1;
  for (let i = 0; i < arr.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    arr[i] = s / 2 ** 31 - 1;
  }
}

/** Naive float64 reference: value and the error scale sum |a||b| + |c0| of every C element. */
function reference(tA: boolean, tB: boolean, m: number, n: number, k: number,
  a: FloatArray, aOff: number, b: FloatArray, bOff: number, c0: FloatArray, cOff: number, accumulate: boolean) {
  const value = new Float64Array(m * n), scale = new Float64Array(m * n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < m; i++) {
      let s = accumulate ? c0[cOff + i + j * m]! : 0, t = s < 0 ? -s : s;
      for (let p = 0; p < k; p++) {
        const x = tA ? a[aOff + p + i * k]! : a[aOff + i + p * m]!;
        const y = tB ? b[bOff + j + p * n]! : b[bOff + p + j * k]!;
        const xy = x * y;
        s += xy;
        t += xy < 0 ? -xy : xy; // not Math.abs: it is not inlined inside jest's vm context (~40x slower here)
      }
      value[i + j * m] = s;
      scale[i + j * m] = t;
    }
  }
  return { value, scale };
}

/** Runs gemm on offset operands surrounded by sentinels; returns the worst error relative to the scale. */
function check(T: Ctor, tA: boolean, tB: boolean, m: number, n: number, k: number, accumulate: boolean, offs = [0, 0, 0]): number {
  const [aOff, bOff, cOff] = offs as [number, number, number];
  const a = new T(aOff + m * k + 3), b = new T(bOff + k * n + 3), c = new T(cOff + m * n + 3);
  fill(a, 11 + m + 7 * n + 13 * k); fill(b, 5 + 3 * m + n + k); fill(c, 99 + m * n);
  const c0 = c.slice();
  const ref = reference(tA, tB, m, n, k, a, aOff, b, bOff, c0, cOff, accumulate);
  gemm(tA, tB, m, n, k, a, aOff, b, bOff, c, cOff, accumulate);
  for (let i = 0; i < c.length; i++) {
    if (i < cOff || i >= cOff + m * n) expect(c[i]).toBe(c0[i]); // nothing outside C is touched
  }
  let worst = 0;
  for (let q = 0; q < m * n; q++) {
    const err = Math.abs(c[cOff + q]! - ref.value[q]!) / Math.max(ref.scale[q]!, 1e-300);
    if (!(err <= worst)) worst = err; // also propagates NaN
  }
  return worst;
}

describe("gemm", () => {
  for (const [T, tol] of [[Float64Array, 1e-12], [Float32Array, 1e-5]] as Array<[Ctor, number]>) {
    describe(T.name, () => {
      for (const [tA, tB] of COMBOS) {
        for (const accumulate of [false, true]) {
          it(`matches the naive product, transA=${tA} transB=${tB} accumulate=${accumulate}`, () => {
            for (const [m, n, k] of SHAPES) {
              const err = check(T, tA, tB, m, n, k, accumulate);
              if (!(err <= tol)) throw new Error(`${m}x${n}x${k}: relative error ${err}`);
            }
          });
          it(`handles non-zero offsets, transA=${tA} transB=${tB} accumulate=${accumulate}`, () => {
            for (const [m, n, k] of [[3, 5, 7], [64, 1, 64], [1, 64, 64], [130, 70, 260]] as Array<[number, number, number]>) {
              const err = check(T, tA, tB, m, n, k, accumulate, [5, 17, 3]);
              if (!(err <= tol)) throw new Error(`${m}x${n}x${k} with offsets: relative error ${err}`);
            }
          });
        }
      }

      it("k = 0 gives zeros, or leaves C unchanged when accumulating", () => {
        const a = new T(0), b = new T(0), c = new T(8).fill(3);
        gemm(false, false, 2, 3, 0, a, 0, b, 0, c, 1, true);
        expect(Array.from(c)).toEqual([3, 3, 3, 3, 3, 3, 3, 3]);
        gemm(true, true, 2, 3, 0, a, 0, b, 0, c, 1, false);
        expect(Array.from(c)).toEqual([3, 0, 0, 0, 0, 0, 0, 3]);
      });
    });
  }

  it("computes a known product exactly", () => {
    // A = [1 2; 3 4] (column-major [1, 3, 2, 4]), B = [5 6; 7 8] (column-major [5, 7, 6, 8]); AB = [19 22; 43 50].
    const c = new Float64Array(4);
    gemm(false, false, 2, 2, 2, new Float64Array([1, 3, 2, 4]), 0, new Float64Array([5, 7, 6, 8]), 0, c, 0, false);
    expect(Array.from(c)).toEqual([19, 43, 22, 50]);
  });

  it("rejects mixed element types and out-of-bounds operands", () => {
    const f32 = new Float32Array(4), f64 = new Float64Array(4);
    expect(() => gemm(false, false, 2, 2, 2, f64, 0, f64, 0, f32, 0, false)).toThrow(TypeError);
    expect(() => gemm(false, false, 2, 2, 2, f32, 0, f32, 0, f64, 0, false)).toThrow(TypeError);
    expect(() => gemm(false, false, 2, 2, 2, f64, 1, f64, 0, new Float64Array(4), 0, false)).toThrow(RangeError);
    expect(() => gemm(false, false, 2, 2, 3, f64, 0, f64, 0, new Float64Array(4), 0, false)).toThrow(RangeError);
    expect(() => gemm(false, false, -1, 2, 2, f64, 0, f64, 0, f64, 0, false)).toThrow(RangeError);
  });

  it("allocates no pack buffer once a size is warm", () => {
    const m = 130, n = 70, k = 260;
    const ops = [Float32Array, Float64Array].map((T: Ctor) => {
      const a = new T(m * k), b = new T(k * n), c = new T(m * n);
      fill(a, 1); fill(b, 2);
      return { a, b, c };
    });
    const run = () => {
      for (const { a, b, c } of ops) {
        for (const [tA, tB] of COMBOS) {
          gemm(tA, tB, m, n, k, a, 0, b, 0, c, 0, false);
          gemm(tA, tB, m, 1, k, a, 0, b, 0, c, 0, true); // direct matrix-vector path
        }
      }
    };
    run();
    const warm = gemmPackAllocations();
    for (let r = 0; r < 20; r++) run();
    expect(gemmPackAllocations()).toBe(warm);
    // A larger problem grows the buffers once, then is warm too.
    const big = { a: new Float64Array(200 * 300), b: new Float64Array(300 * 600), c: new Float64Array(200 * 600) };
    gemm(false, false, 200, 600, 300, big.a, 0, big.b, 0, big.c, 0, false);
    const grown = gemmPackAllocations();
    expect(grown).toBeGreaterThan(warm);
    gemm(true, true, 200, 600, 300, big.a, 0, big.b, 0, big.c, 0, false);
    run();
    expect(gemmPackAllocations()).toBe(grown);
  });
});
