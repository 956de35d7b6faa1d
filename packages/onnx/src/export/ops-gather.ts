/**
 * Export rules of the indexing and batched ops. `gather(src, idx)` picks columns (the last dim) of `src`
 * with 1-based Int32 indices: on the reversed views that is ONNX Gather along axis 0 with `idx - 1`.
 * `batchedMatmul` is, per batch, column-major op(A) op(B); its ONNX view is the transpose op(B)ᵀ op(A)ᵀ.
 */
import type { Value } from "@tsflux/graph";
import type { ExportContext, ExportRule } from "./context";

/** The ONNX name of a batched matrix `[rows, cols, batch]` (ONNX `[batch, cols, rows]`), transposed per batch when `t`. */
const perBatch = (v: Value, t: boolean, ctx: ExportContext) => (t ? ctx.emit("Transpose", [ctx.name(v)], { perm: [0, 2, 1] }) : ctx.name(v));

export const gatherRules: Record<string, ExportRule> = {
  gather: {
    emit: (n, ctx) => {
      const [src, idx] = n.inputs as [Value, Value];
      const zeroBased = ctx.emit("Sub", [ctx.name(idx), ctx.scalar(1, idx.dtype)]);
      return ctx.emit("Gather", [ctx.name(src), zeroBased], { axis: 0 });
    },
  },

  batchedMatmul: {
    emit: (n, ctx) => {
      const { transA, transB } = n.attrs as { transA: boolean; transB: boolean };
      const [a, b] = n.inputs as [Value, Value];
      // (op(A) op(B))ᵀ = op(B)ᵀ op(A)ᵀ; the ONNX view of A is Aᵀ, so op(A)ᵀ is that view, transposed when transA
      return ctx.emit("MatMul", [perBatch(b, transB, ctx), perBatch(a, transA, ctx)]);
    },
  },
};
