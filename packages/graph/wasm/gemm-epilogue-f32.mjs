// The GEMM's fused epilogue: after the last K block, C = act(C + bias) with one bias value per row of C
// (column-major C is m x n; a Dense layer's W*x has its output features as rows). Applied to the
// register tile just before the store, so a Dense layer's matmul, bias add and activation are one pass.
//
// Modes (the `epi` argument): bit 0 adds the bias, bit 1 applies relu. relu is `x < 0 ? 0 : x` exactly
// as the elementwise kernels compute it (NaN passes through), and the sum is (A*B) + bias in that
// order, so the fused result is bit-identical to the GEMM followed by a broadcast add and relu.
import { forRange, func, get, i32, locals, set } from "./wat.mjs";

/** Epilogue mode bits of gemm_f32_epi_range's `epi` argument. */
export const EPI_BIAS = 1;
export const EPI_RELU = 2;

/** relu of an f32x4 expression `x` already in local `$name` (bitselect keeps x where !(x < 0)). */
const reluVec = (name) =>
  set(name, `(v128.bitselect (v128.const i32x4 0 0 0 0) ${get(name)} (f32x4.lt ${get(name)} (v128.const i32x4 0 0 0 0)))`);

/**
 * WAT lines applying the epilogue to the kernel's accumulators before they are stored: `accOf(j, v)`
 * names the accumulator of column j, row vector v; `tmp(v)` names a free v128 local per row vector.
 */
export function epilogueVector(MRV, NR, accOf, tmp) {
  const addBias = [];
  for (let v = 0; v < MRV; v++) addBias.push(set(tmp(v), `(v128.load offset=${16 * v} ${get("bias")})`));
  for (let j = 0; j < NR; j++) for (let v = 0; v < MRV; v++) addBias.push(set(accOf(j, v), `(f32x4.add ${get(accOf(j, v))} ${get(tmp(v))})`));
  const relu = [];
  for (let j = 0; j < NR; j++) for (let v = 0; v < MRV; v++) relu.push(reluVec(accOf(j, v)));
  return [
    `(if (i32.and ${get("epi")} ${i32(EPI_BIAS)}) (then`,
    ...addBias.map((l) => `  ${l}`),
    "))",
    `(if (i32.and ${get("epi")} ${i32(EPI_RELU)}) (then`,
    ...relu.map((l) => `  ${l}`),
    "))",
  ];
}

/** Scalar epilogue of the f32 expression `x` for row address `biasAddr` (an expression), as an f32 expression. */
export function epilogueScalar(x, biasAddr) {
  const biased = `(select (f32.add ${x} (f32.load ${biasAddr})) ${x} (i32.and ${get("epi")} ${i32(EPI_BIAS)}))`;
  return `(call $relu_if ${biased} (i32.and ${get("epi")} ${i32(EPI_RELU)}))`;
}

/** Helper functions the epilogue uses: scalar relu and a whole-range pass (for k = 0). */
export function epilogueFuncs() {
  return [
    func(
      "x < 0 ? 0 : x when on, else x (relu exactly as the elementwise kernels compute it)",
      "$relu_if (param $x f32) (param $on i32) (result f32)",
      [`(select (f32.const 0) ${get("x")} (i32.and (i32.ne ${get("on")} ${i32(0)}) (f32.lt ${get("x")} (f32.const 0))))`],
    ),
    func(
      "C[m0:m1, n0:n1] = act(C + bias[row]) in place (column stride ldc bytes); the k = 0 path",
      "$epilogue_range (param $c i32) (param $ldc i32) (param $m0 i32) (param $m1 i32) (param $n0 i32) (param $n1 i32) (param $bias i32) (param $epi i32)",
      [
        locals(["i", "j", "addr"]),
        forRange("j", get("n0"), get("n1"), i32(1), [
          forRange("i", get("m0"), get("m1"), i32(1), [
            set("addr", `(i32.add (i32.add ${get("c")} (i32.mul ${get("j")} ${get("ldc")})) (i32.shl ${get("i")} ${i32(2)}))`),
            `(f32.store ${get("addr")} ${epilogueScalar(`(f32.load ${get("addr")})`, `(i32.add ${get("bias")} (i32.shl ${get("i")} ${i32(2)}))`)})`,
          ]),
        ]),
      ],
    ),
  ];
}
