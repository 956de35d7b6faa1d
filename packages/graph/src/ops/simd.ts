/** Builders of the Wasm SIMD formulas op blocks declare (`simd:`), over the run-time encoder's opcodes. */
import { op, type Bytes } from "../kernels/wasm/encoder";
import type { SimdFormula } from "./types";

/** A binary op that is one instruction: `vector` for four lanes, `scalar` for the tail. */
export function simdBinary<A>(vector: Bytes, scalar: Bytes, mask?: true): SimdFormula<A> {
  return { emit: ([a, b], v) => [...a!, ...b!, ...(v ? vector : scalar)], ...(mask ? { mask } : {}) };
}

/** A unary op that is one instruction. */
export function simdUnary<A>(vector: Bytes, scalar: Bytes): SimdFormula<A> {
  return { emit: ([a], v) => [...a!, ...(v ? vector : scalar)] };
}

/** The constant `value` as a vector (splat) or a scalar. */
export function simdConstant(value: number, vector: boolean): Bytes {
  return vector ? [...op.f32(value), ...op.f32x4Splat] : op.f32(value);
}

export { op as wasmOp };
