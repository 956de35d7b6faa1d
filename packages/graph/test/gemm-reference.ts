/** References for the GEMM tests: deterministic operands and a float64 triple loop written here. */
import { wasmAlloc, wasmFree, wasmReadF32, wasmWriteF32 } from "../src/kernels/wasm/index";

const { abs } = Math;

/** Deterministic uniform values in [-1, 1) (xorshift32). */
export function randomFloats(len: number, seed: number): Float32Array {
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

/** Column-major op(A) op(B) in float64, and the sum of |products| per element (for the tolerance). */
export function naiveGemm(ta: boolean, tb: boolean, m: number, n: number, k: number, a: Float32Array, b: Float32Array) {
  const c = new Float64Array(m * n);
  const mag = new Float64Array(m * n);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < m; i++) {
      let s = 0;
      let t = 0;
      for (let p = 0; p < k; p++) {
        const x = (ta ? a[p + i * k]! : a[i + p * m]!) * (tb ? b[j + p * n]! : b[p + j * k]!);
        s += x;
        t += abs(x);
      }
      c[i + j * m] = s;
      mag[i + j * m] = t;
    }
  }
  return { c, mag };
}

/**
 * Runs a product on the WebAssembly heap: A, B, the bias and C's starting contents are written into
 * fresh heap blocks, `run(a, b, c, bias)` gets their byte offsets and returns whether it ran, and C is
 * read back (undefined when it did not run). The blocks are freed afterwards.
 */
export function onHeap(A: Float32Array, B: Float32Array, bias: Float32Array, C: Float32Array, run: (a: number, b: number, c: number, bias: number) => boolean): Float32Array | undefined {
  const blocks = [A, B, C, bias].map((x) => wasmAlloc(4 * x.length));
  const [a, b, c, bb] = blocks as [number, number, number, number];
  try {
    wasmWriteF32(a, A);
    wasmWriteF32(b, B);
    wasmWriteF32(bb, bias);
    wasmWriteF32(c, C);
    return run(a, b, c, bb) ? wasmReadF32(c, C.length) : undefined;
  } finally {
    blocks.forEach(wasmFree);
  }
}
