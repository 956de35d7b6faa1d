/**
 * Import rules of Gemm and MatMul. The tsflux view of an ONNX matrix M is Mᵀ, so ONNX's op(A)·op(B)
 * is computed as its transpose op(B)ᵀ·op(A)ᵀ: one matmul of the two tsflux arrays with the flags swapped.
 */
import { add, batchedMul, matmul, mul, reshape, type Tensor } from "@tsflux/graph";
import { OnnxError } from "../errors";
import { attr, tensorOf, where, type ImportRule } from "./context";

export const linalgImports: Record<string, ImportRule> = {
  Gemm: ([a, b, c], attrs, n) => {
    const A = tensorOf(a, n), B = tensorOf(b, n, a);
    const alpha = attr(attrs, "alpha", 1), beta = attr(attrs, "beta", 1);
    // Yᵀ = op(B)ᵀ op(A)ᵀ, with the tsflux arrays being Aᵀ and Bᵀ
    let y: Tensor = matmul(B, A, { transA: attr(attrs, "transB", 0) === 1, transB: attr(attrs, "transA", 0) === 1 });
    if (alpha !== 1) y = mul(y, alpha);
    if (c === undefined) return y;
    const C = tensorOf(c, n, a);
    return add(y, beta === 1 ? C : mul(C, beta));
  },

  MatMul: ([a, b], _attrs, n) => {
    const A = tensorOf(a, n), B = tensorOf(b, n, a);
    // stacked products [batch, M, K] x [batch, K, N]: per batch Yᵀ = Bᵀ Aᵀ
    if (A.shape.length === 3 && B.shape.length === 3 && A.shape[2] === B.shape[2]) return batchedMul(B, A);
    if (B.shape.length !== 2) throw new OnnxError(`${where(n)}: only a matrix second operand is supported, got dims [${[...B.shape].reverse().join(", ")}]`);
    if (A.shape.length === 2) return matmul(B, A);
    if (A.shape.length === 1) return reshape(matmul(B, reshape(A, [A.shape[0]!, 1])), [B.shape[0]!]);
    // stacked rows [..., M, K] times [K, N]: fold the leading dims into M and unfold them after
    const [k, ...rest] = A.shape;
    const flat = matmul(B, reshape(A, [k!, rest.reduce((p, d) => p * d, 1)]));
    return reshape(flat, [B.shape[0]!, ...rest]);
  },
};
