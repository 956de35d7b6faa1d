/** The matrix product with transpose flags; bilinear, so its VJP is two more matmuls. */
import { ShapeError } from "../errors";
import { shapeStr } from "../shape";
import { requireSameFloat } from "./validate";
import { gemm } from "../kernels/gemm";
import { wasmGemmParallel } from "../kernels/wasm";
import { gemmThroughHeap } from "../kernels/wasm/eager-gemm";
import { heapOffset } from "../memory";
import type { FloatArray } from "../dtype";
import type { OpDef } from "./types";
import type { ValueType } from "../ir/graph";
import { matmul } from "../api/linalg";
import { addT, mapT } from "./tangent-math";
import type { MatmulAttrs } from "./attrs";
export type { MatmulAttrs } from "./attrs";

// no destructuring here: the type of every traced matmul is inferred by this, often before the engine
// optimizes it, and an unoptimized destructuring allocates an iterator and its results
function matmulType(types: readonly ValueType[], { transA, transB }: MatmulAttrs): ValueType {
  const a = types[0]!, b = types[1]!;
  requireSameFloat("matmul", ["A", "B"], types);
  if (a.shape.length !== 2 || b.shape.length !== 2) {
    throw new ShapeError(`matmul: expected matrices, got A of shape ${shapeStr(a.shape)} and B of shape ${shapeStr(b.shape)}`);
  }
  const m = a.shape[transA ? 1 : 0]!, k = a.shape[transA ? 0 : 1]!;
  const k2 = b.shape[transB ? 1 : 0]!, n = b.shape[transB ? 0 : 1]!;
  if (k !== k2) {
    const name = (t: boolean, x: string) => (t ? `${x}'` : x);
    throw new ShapeError(`matmul: inner dimensions differ in ${name(transA, "A")} * ${name(transB, "B")}: A is ${shapeStr(a.shape)}, B is ${shapeStr(b.shape)} (${k} vs ${k2})`);
  }
  return { shape: [m, n], dtype: a.dtype };
}

export const matmulOp: OpDef<MatmulAttrs> = {
  name: "matmul", arity: 2, infer: matmulType, gemmRole: "product",
  kernel: ({ attrs: { transA, transB }, inputs: [a], output }) => {
    const [m, n] = output.shape as [number, number];
    const k = transA ? a!.shape[0]! : a!.shape[1]!;
    const f32 = output.dtype === "f32";
    return (out, [as, bs]) => {
      // Float32 operands in the WebAssembly heap take the SIMD kernel (two threads when large)
      const ao = f32 ? heapOffset(as!.data, as!.offset) : -1, bo = f32 ? heapOffset(bs!.data, bs!.offset) : -1, co = f32 ? heapOffset(out.data, out.offset) : -1;
      if (ao >= 0 && bo >= 0 && co >= 0) wasmGemmParallel(transA, transB, m, n, k, ao, bo, co, false);
      else if (f32 && gemmThroughHeap(transA, transB, m, n, k, as!.data as FloatArray, as!.offset, bs!.data as FloatArray, bs!.offset, out.data as FloatArray, out.offset)) return;
      else gemm(transA, transB, m, n, k, as!.data as FloatArray, as!.offset, bs!.data as FloatArray, bs!.offset, out.data as FloatArray, out.offset, false);
    };
  },
  flops: ({ attrs: { transA }, inputs: [a], output }) => 2 * output.shape[0]! * output.shape[1]! * (transA ? a!.shape[0]! : a!.shape[1]!),
  printAttrs: ({ transA, transB }) => [transA ? "transA" : "", transB ? "transB" : ""].filter(Boolean).join(","),
  // d(op(A) op(B)) = op(dA) op(B) + op(A) op(dB)
  jvp: ({ x: [a, b] }, [da, db], t) => addT(mapT(da ?? null, (d) => matmul(d, b!, t)), mapT(db ?? null, (d) => matmul(a!, d, t))),
  // Ā and B̄ for each transpose combination: C = AB gives Ā = C̄Bᵀ, B̄ = AᵀC̄ (and transposes thereof)
  vjp: ({ x: [a, b] }, dc, { transA, transB }) => {
    const dA = transA ? matmul(b!, dc, { transA: transB, transB: true }) : matmul(dc, b!, { transA: false, transB: !transB });
    const dB = transB ? matmul(dc, a!, { transA: true, transB: transA }) : matmul(a!, dc, { transA: !transA, transB: false });
    return [dA, dB];
  },
};
