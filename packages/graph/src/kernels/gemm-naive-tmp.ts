export function gemm(transA: boolean, transB: boolean, m: number, n: number, k: number, a: Float32Array | Float64Array, aOff: number, b: Float32Array | Float64Array, bOff: number, c: Float32Array | Float64Array, cOff: number, accumulate: boolean): void {
  for (let j = 0; j < n; j++) for (let i = 0; i < m; i++) {
    let s = 0;
    for (let p = 0; p < k; p++) s += (transA ? a[aOff + p + i * k]! : a[aOff + i + p * m]!) * (transB ? b[bOff + j + p * n]! : b[bOff + p + j * k]!);
    c[cOff + i + j * m] = accumulate ? c[cOff + i + j * m]! + s : s;
  }
}
