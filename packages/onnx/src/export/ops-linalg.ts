/** Export rule of matmul: column-major op(A)·op(B) is, on the row-major (reversed) views, op(B)ᵀ·op(A)ᵀ. */
import type { ExportRule } from "./context";

export const linalgRules: Record<string, ExportRule> = {
  matmul: {
    emit: (n, ctx) => {
      const { transA, transB } = n.attrs as { transA: boolean; transB: boolean };
      const [a, b] = n.inputs.map((v) => ctx.name(v));
      // (op(A) op(B))ᵀ = op(B)ᵀ op(A)ᵀ, and the ONNX view of A is Aᵀ: so Gemm(B', A') with the flags swapped
      return ctx.emit("Gemm", [b!, a!], { transA: transB ? 1 : 0, transB: transA ? 1 : 0 });
    },
  },
};
