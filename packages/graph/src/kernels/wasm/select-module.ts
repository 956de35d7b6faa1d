/**
 * Which kernels binary the runtime compiles: the one whose GEMM accumulates with `f32x4.relaxed_madd`
 * (a fused multiply-add where the hardware has FMA: half the vector ops per multiply-accumulate) where
 * the engine validates relaxed SIMD (Node 22+, current browsers), else the plain SIMD one (Node 20).
 *
 * relaxed_madd may round once (fused) or twice (unfused), depending on the hardware; either way the
 * GEMM's error bound is that of the plain path. The choice is made once, when the runtime first
 * compiles its module; preferRelaxedSimd(false) before that forces the plain path.
 */
import { KERNELS_RELAXED_WASM_BASE64, KERNELS_WASM_BASE64 } from "./generated/kernels-wasm";

/**
 * A minimal module using relaxed SIMD: (func (param v128 v128 v128) (result v128) f32x4.relaxed_madd).
 * Bytes: header, type section [v128 v128 v128] -> [v128], function section, code section.
 */
const RELAXED_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // \0asm, version 1
  0x01, 0x08, 0x01, 0x60, 0x03, 0x7b, 0x7b, 0x7b, 0x01, 0x7b, // type 0: (v128 v128 v128) -> v128
  0x03, 0x02, 0x01, 0x00, // function 0 has type 0
  0x0a, 0x0d, 0x01, 0x0b, 0x00, // code section (13 bytes): one body of 11 bytes, no locals
  0x20, 0x00, 0x20, 0x01, 0x20, 0x02, // local.get 0, 1, 2
  0xfd, 0x85, 0x02, // f32x4.relaxed_madd (0xfd 0x105)
  0x0b, // end
]);

/** The subset of the WebAssembly namespace the probe needs. */
interface ValidatingWasm {
  validate(bytes: Uint8Array): boolean;
}

/** True when `wasm` (default: this engine's WebAssembly) validates a module using f32x4.relaxed_madd. */
export function relaxedSimdSupported(wasm?: ValidatingWasm): boolean {
  const wa = wasm ?? (globalThis as { WebAssembly?: ValidatingWasm }).WebAssembly;
  if (!wa) return false;
  try {
    return wa.validate(RELAXED_PROBE);
  } catch {
    return false;
  }
}

let preferRelaxed = true;
let chosen: "relaxed" | "plain" | null = null;

/** Allows (default) or forbids the relaxed-SIMD GEMM; only effective before the kernels are first compiled. */
export function preferRelaxedSimd(on: boolean): void {
  preferRelaxed = on;
}

/** "relaxed" or "plain" for a preference and a probe result (the selection rule, on its own for tests). */
export function chooseKernelsFlavor(prefer: boolean, supported: boolean): "relaxed" | "plain" {
  return prefer && supported ? "relaxed" : "plain";
}

/** The kernels binary (base64) to compile; records which flavour was chosen. */
export function kernelsWasmBase64(): string {
  chosen = chooseKernelsFlavor(preferRelaxed, relaxedSimdSupported());
  return chosen === "relaxed" ? KERNELS_RELAXED_WASM_BASE64 : KERNELS_WASM_BASE64;
}

/** The flavour the runtime compiled ("relaxed" GEMM or "plain" SIMD), or null before the first kernel call. */
export function wasmKernelsFlavor(): "relaxed" | "plain" | null {
  return chosen;
}
