/** Builders of the Wasm SIMD formulas op blocks declare (`simd:`), over the run-time encoder's opcodes. */
import { op, type Bytes } from "../kernels/wasm/encoder";
import type { DType } from "../dtype";

/** Pushes one value computed from the operands' instructions: a vector of four lanes, or one scalar. */
export type SimdEmit<A> = (args: readonly Bytes[], vector: boolean, attrs: A) => Bytes;

/** How an op runs inside a fused Float32 Wasm loop. */
export interface SimdFormula<A> {
  readonly emit: SimdEmit<A>;
  /** The output is a lane mask (comparisons), so a Bool output may stay inside the group. */
  readonly mask?: true;
  /** A further condition on the types (astype lowers only Float32 to Float32). */
  readonly accepts?: (inputs: readonly { readonly dtype: DType }[], output: { readonly dtype: DType }) => boolean;
}

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
