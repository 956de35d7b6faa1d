/** Turning user arguments (Tensor | ndarray | number) into op inputs with checked dtypes and shapes. */
import { Tensor, type TensorLike } from "../tensor";
import { GraphError } from "../errors";
import type { DType } from "../dtype";
import { dtypeOf, isNdarray } from "../ndarray-util";
import { broadcastShapes, sameShape, type Shape } from "../shape";
import { isFloat } from "../dtype";
import type { ValueType } from "../ir/graph";
import { applyOp, type OpInput } from "../ops/apply";
import { requireSameFloat } from "../ops/validate";

export { typeStr, requireFloatType, requireSameFloat } from "../ops/validate";

/** Shape and dtype of a tensor or array argument. */
export function typeOf(op: string, x: OpInput): ValueType {
  if (x instanceof Tensor) return { shape: x.shape, dtype: x.dtype };
  return { shape: x.shape, dtype: dtypeOf(op, x) };
}

/** Validates one argument: a Tensor or an ndarray (numbers are handled by the callers). */
export function asInput(op: string, name: string, x: unknown): OpInput {
  if (x instanceof Tensor || isNdarray(x)) return x;
  throw new GraphError(`${op}: argument ${name} must be a Tensor, an ndarray or a number, got ${describeJs(x)}`);
}

function describeJs(x: unknown): string {
  if (x === null) return "null";
  if (Array.isArray(x)) return "a plain JS array (wrap it with ndarray(new Float32Array(...)))";
  return typeof x === "object" ? (x as object).constructor?.name ?? "object" : typeof x;
}

/** A constant array filled with `value` (a `full` node while tracing). */
export function full(value: number, shape: Shape, dtype: DType = "f32"): Tensor {
  return applyOp("full", [], { value, shape: [...shape], dtype });
}

/** Broadcasts `x` to `shape` with Julia rules; returns `x` itself when the shape already matches. */
export function broadcastInput(op: string, x: OpInput, shape: Shape): OpInput {
  const t = typeOf(op, x);
  if (sameShape(t.shape, shape)) return x;
  return applyOp("broadcastTo", [x], { shape: [...shape] });
}

/**
 * Prepares the operands of an n-ary elementwise op: numbers become constants of the others' dtype,
 * dtypes must be one float type, and every operand is broadcast to the
 * common shape (an explicit broadcastTo node).
 */
export function elementwiseOperands(op: string, names: readonly string[], args: readonly TensorLike[]): OpInput[] {
  // one pass without intermediate arrays for the usual case (tensors of one float dtype); anything
  // else takes the checked path below, which throws the errors that name the arguments
  let shape: Shape | undefined, dtype: DType | undefined, seen = 0, firstName = "", uniform = true;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (typeof a === "number") continue;
    if (!(a instanceof Tensor || isNdarray(a))) return checkedOperands(op, names, args);
    const s = a.shape, d = a instanceof Tensor ? a.dtype : dtypeOf(op, a);
    if (dtype === undefined) {
      if (!isFloat(d)) return checkedOperands(op, names, args);
      shape = s;
      dtype = d;
      firstName = names[i]!;
    } else if (d !== dtype) {
      return checkedOperands(op, names, args);
    } else if (!sameShape(s, shape!)) {
      uniform = false;
      shape = broadcastShapes(op, shape!, s, [seen === 1 ? firstName : "the earlier arguments", names[i]!]);
    }
    seen++;
  }
  if (shape === undefined || dtype === undefined) return checkedOperands(op, names, args);
  const out: OpInput[] = new Array(args.length);
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    out[i] = typeof a === "number" ? full(a, shape, dtype) : uniform ? a : broadcastInput(op, a, shape);
  }
  return out;
}

function checkedOperands(op: string, names: readonly string[], args: readonly TensorLike[]): OpInput[] {
  const inputs = args.map((a, i) => (typeof a === "number" ? a : asInput(op, names[i]!, a)));
  const tensors = inputs.filter((a): a is OpInput => typeof a !== "number");
  const tensorNames = names.filter((_, i) => typeof inputs[i] !== "number");
  const types = tensors.map((t) => typeOf(op, t));
  if (types.length > 0) requireSameFloat(op, tensorNames, types);
  const dtype: DType = types[0]?.dtype ?? "f64";
  let shape: Shape = [];
  types.forEach((t, i) => {
    shape = broadcastShapes(op, shape, t.shape, [i === 1 ? tensorNames[0]! : "the earlier arguments", tensorNames[i]!]);
  });
  return inputs.map((a) => (typeof a === "number" ? full(a, shape, dtype) : broadcastInput(op, a, shape)));
}
