/**
 * What an op is: one block per op holding its shape/dtype rule, its kernels, its JVP rule and its VJP
 * rule (or, for a linear op, its transpose rule). Rules are written with the same free functions user
 * code calls, so derivative graphs are ordinary graphs and can be differentiated again.
 */
import type { Tensor } from "../tensor";
import type { ValueType } from "../ir/graph";
import type { TypedArray, DType } from "../dtype";
import type { SimdFormula } from "./simd";

/** A place in memory: column-major contiguous data of a value, starting at `offset`. */
export interface Slot {
  data: TypedArray;
  offset: number;
}

/** A kernel: computes an op's output slot from its input slots. */
export type KernelFn = (out: Slot, ins: readonly Slot[]) => void;

export interface KernelArgs<A> {
  readonly attrs: A;
  readonly inputs: readonly ValueType[];
  readonly output: ValueType;
}

/** Primal values of a node, as tensors pinned to their SSA values. */
export interface Primals {
  readonly x: readonly Tensor[];
  readonly y: Tensor;
}

/** Tangents of the inputs; null is a zero tangent (an inactive input). */
export type Tangents = readonly (Tensor | null)[];

/** A scalar expression over input expressions: `(["a", "b"]) => "(a + b)"`; enables loop fusion. */
export type ScalarExpr<A> = (args: readonly string[], attrs: A, dtype: DType) => string;

export type JvpRule<A> = (p: Primals, tangents: Tangents, attrs: A) => Tensor | null;
/** Cotangents of the inputs from the output's cotangent; null means "no gradient" for that input. */
export type VjpRule<A> = (p: Primals, dy: Tensor, attrs: A) => readonly (Tensor | null)[];
/** For linear ops: the transpose needs only the input types, never their values. */
export type TransposeRule<A> = (dy: Tensor, attrs: A, inputs: readonly ValueType[]) => readonly (Tensor | null)[];

export interface OpCore<A> {
  readonly name: string;
  /** Number of inputs, or "variadic" (concat). */
  readonly arity: number | "variadic";
  /** Output shape and dtype; throws ShapeError/DTypeError naming the op, the argument and the shapes. */
  infer(inputs: readonly ValueType[], attrs: A): ValueType;
  /** Builds the kernel for these types: f32 and f64 each get their own monomorphic loop. */
  kernel(args: KernelArgs<A>): KernelFn;
  /** Present for elementwise ops: the scalar formula, used by the kernel and by loop fusion. */
  readonly scalar?: ScalarExpr<A>;
  /** Floating-point operations of one execution (for graph.stats()). */
  flops?(args: KernelArgs<A>): number;
  jvp: JvpRule<A>;
  /** Attributes as printed in the IR (`sum[dims=(1,)]`); default prints them generically. */
  printAttrs?(attrs: A): string;
  /** The output is the first input's storage seen anew (reshape, copy): plans alias it instead of running a kernel. */
  readonly alias?: true;
  /** A constant input gives a constant output of the same value (aliases, broadcastTo, permutedims). */
  readonly keepsConstant?: true;
  /** The value every element holds, for a constant (full): printed inline, read from the plan's constant table. */
  readonly constant?: (attrs: A) => number;
  /** The attribute a compiled plan takes per call (full's value), left out of the plan's structural key. */
  readonly boundAttr?: keyof A & string;
  /** Fused loops read the input through a broadcast access instead of running the op (broadcastTo). */
  readonly broadcast?: true;
  /** Its Float32 formula in Wasm SIMD, for ops that are native instructions (fused groups then run in Wasm). */
  readonly simd?: SimdFormula<A>;
  /** Its part in a Dense layer's matmul + bias + activation chain, which runs as one GEMM with an epilogue. */
  readonly gemmRole?: "product" | "biasAdd" | "relu";
}

/** Exactly one of vjp / transpose; transpose only for linear ops. */
export type OpDef<A> = OpCore<A> & ({ vjp: VjpRule<A>; transpose?: never } | { transpose: TransposeRule<A>; vjp?: never });
