/**
 * The batched matrix product (NNlib's `batched_mul`): C[:, :, b] = op(A[:, :, b]) op(B[:, :, b]) for
 * 3-d arrays with the batch dim last, with transpose flags; its VJP is two more batched products.
 */
import { ShapeError } from "../errors";
import { shapeStr } from "../shape";
import { requireSameFloat } from "./validate";
import { gemm } from "../kernels/gemm";
import { wasmGemmParallel } from "../kernels/wasm";
import { heapOffset } from "../memory";
import type { FloatArray } from "../dtype";
import type { OpDef } from "./types";
import type { ValueType } from "../ir/graph";
import type { MatmulAttrs } from "./matmul";
import { batchedMul } from "../api/batched";
import { addT, mapT } from "./tangent-math";

function batchedType([a, b]: readonly ValueType[], { transA, transB }: MatmulAttrs): ValueType {
  requireSameFloat("batchedMul", ["A", "B"], [a!, b!]);
  if (a!.shape.length !== 3 || b!.shape.length !== 3) {
    throw new ShapeError(`batchedMul: expected 3-d arrays [rows, cols, batch], got A of shape ${shapeStr(a!.shape)} and B of shape ${shapeStr(b!.shape)}`);
  }
  const [m, k] = transA ? [a!.shape[1]!, a!.shape[0]!] : [a!.shape[0]!, a!.shape[1]!];
  const [k2, n] = transB ? [b!.shape[1]!, b!.shape[0]!] : [b!.shape[0]!, b!.shape[1]!];
  if (k !== k2 || a!.shape[2] !== b!.shape[2]) {
    throw new ShapeError(`batchedMul: A of shape ${shapeStr(a!.shape)}${transA ? " (transposed)" : ""} and B of shape ${shapeStr(b!.shape)}${transB ? " (transposed)" : ""} do not fit: inner dims ${k} vs ${k2}, batch ${a!.shape[2]} vs ${b!.shape[2]}`);
  }
  return { shape: [m, n, a!.shape[2]!], dtype: a!.dtype };
}

export const batchedMatmulOp: OpDef<MatmulAttrs> = {
  name: "batchedMatmul", arity: 2, infer: batchedType,
  kernel: ({ attrs: { transA, transB }, inputs: [a], output }) => {
    const [m, n, batch] = output.shape as [number, number, number];
    const k = transA ? a!.shape[0]! : a!.shape[1]!;
    const f32 = output.dtype === "f32";
    return (out, [as, bs]) => {
      for (let p = 0; p < batch; p++) {
        const aAt = as!.offset + p * m * k, bAt = bs!.offset + p * k * n, cAt = out.offset + p * m * n;
        // Float32 operands in the WebAssembly heap take the SIMD kernel
        const ao = f32 ? heapOffset(as!.data, aAt) : -1, bo = f32 ? heapOffset(bs!.data, bAt) : -1, co = f32 ? heapOffset(out.data, cAt) : -1;
        if (ao >= 0 && bo >= 0 && co >= 0) wasmGemmParallel(transA, transB, m, n, k, ao, bo, co, false);
        else gemm(transA, transB, m, n, k, as!.data as FloatArray, aAt, bs!.data as FloatArray, bAt, out.data as FloatArray, cAt, false);
      }
    };
  },
  flops: ({ attrs: { transA }, inputs: [a], output }) => 2 * output.shape[0]! * output.shape[1]! * output.shape[2]! * (transA ? a!.shape[0]! : a!.shape[1]!),
  printAttrs: ({ transA, transB }) => [transA ? "transA" : "", transB ? "transB" : ""].filter(Boolean).join(","),
  // d(op(A) op(B)) = op(dA) op(B) + op(A) op(dB), per batch
  jvp: ({ x: [a, b] }, [da, db], t) => addT(mapT(da ?? null, (d) => batchedMul(d, b!, t)), mapT(db ?? null, (d) => batchedMul(a!, d, t))),
  // per batch: C = AB gives Ā = C̄Bᵀ, B̄ = AᵀC̄ (and transposes thereof)
  vjp: ({ x: [a, b] }, dc, { transA, transB }) => {
    const dA = transA ? batchedMul(b!, dc, { transA: transB, transB: true }) : batchedMul(dc, b!, { transA: false, transB: !transB });
    const dB = transB ? batchedMul(dc, a!, { transA: true, transB: transA }) : batchedMul(a!, dc, { transA: !transA, transB: false });
    return [dA, dB];
  },
};
