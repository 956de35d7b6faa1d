// The GEMM's pack-scratch size functions (packed A block, packed B block, one edge tile) and the k-step
// rounding they share with the driver in gemm-f32.mjs.
import { clampMax, func, get, i32 } from "./wat.mjs";

/** Bytes of one packed operand block: roundup(min(len, BLOCK), W) * roundup(min(k, KC), KU) floats, 64-aligned. */
export function packBytes(which, BLOCK, W, KC, KU) {
  return func(
    `bytes of the packed op(${which.toUpperCase()}) block for extent len and depth k (64-byte multiple)`,
    `$pack_${which}_bytes (param $len i32) (param $k i32) (result i32)`,
    [
      clampMax("len", i32(BLOCK)),
      clampMax("k", i32(KC)),
      `(i32.and (i32.add (i32.mul (i32.mul (i32.div_u (i32.add ${get("len")} ${i32(W - 1)}) ${i32(W)}) ${i32(W * 4)})`,
      `  ${kcpOf("k", KU)}) ${i32(63)}) ${i32(-64)})`,
    ],
  );
}

/** Exported scratch size: packed A block + packed B block + one edge tile. */
export function scratchBytes(MR, NR) {
  const tile = Math.ceil((MR * NR * 4) / 64) * 64;
  return func(
    "bytes of pack scratch gemm_f32 / gemm_f32_range need for this (m, n, k); at most a fixed cap",
    `$gemm_f32_scratch_bytes (export "gemm_f32_scratch_bytes") (param $m i32) (param $n i32) (param $k i32) (result i32)`,
    [`(i32.add (i32.add (call $pack_a_bytes ${get("m")} ${get("k")}) (call $pack_b_bytes ${get("n")} ${get("k")})) ${i32(tile)})`],
  );
}

/** k-steps stored per packed panel: kc rounded up to the unroll KU (1 or 2). */
export function kcpOf(kc, KU) {
  return KU === 1 ? get(kc) : `(i32.and (i32.add ${get(kc)} ${i32(1)}) ${i32(-2)})`;
}
