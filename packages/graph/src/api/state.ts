/**
 * In-place updates (Julia's `dst .= src`, `.+=`, `.*=`, `fill!`). On arrays they mutate now; while
 * tracing they define a new version of the buffer, and every handle on it reads the new version.
 * They mutate: names drop Julia's `!`. Each returns `dst`.
 */
import { Tensor, type TensorLike } from "../tensor";
import { GraphError, ShapeError } from "../errors";
import { currentTrace } from "../ir/trace-context";
import { applyOp, valueIn, type OpInput } from "../ops/apply";
import { isNdarray, scatterColMajor, type NdArray } from "../ndarray-util";
import { broadcastsTo, shapeStr } from "../shape";
import { asInput, broadcastInput, full, requireSameFloat, typeOf } from "./coerce";
import { opDef } from "../ops/table";
import type { AttrsOf, OpName } from "../ops/attrs";

type InPlaceOp = Extract<OpName, "assign" | "addAssign" | "mulAssign">;

function target(op: string, dst: Tensor | NdArray): OpInput {
  if (!(dst instanceof Tensor) && !isNdarray(dst)) throw new GraphError(`${op}: dst must be a Tensor or an ndarray`);
  return dst;
}

/** src as an input of dst's dtype (numbers take it) broadcast to dst's shape, which it may not exceed. */
function source(op: string, dst: OpInput, src: TensorLike): OpInput {
  const d = typeOf(op, dst);
  const s = typeof src === "number" ? full(src, d.shape, d.dtype) : asInput(op, "src", src);
  const t = typeOf(op, s);
  requireSameFloat(op, ["dst", "src"], [d, t]);
  if (!broadcastsTo(t.shape, d.shape)) throw new ShapeError(`${op}: src of shape ${shapeStr(t.shape)} does not broadcast to dst of shape ${shapeStr(d.shape)}`);
  return broadcastInput(op, s, d.shape);
}

function inPlace(op: InPlaceOp | "fill", dst: Tensor | NdArray, inputs: (d: OpInput) => OpInput[], attrs: AttrsOf[InPlaceOp | "fill"]): Tensor | NdArray {
  const d = target(op, dst);
  const trace = currentTrace() ?? (d instanceof Tensor ? d.trace : undefined);
  if (!trace) {
    // eager: compute the new contents, then write them into dst (any strides)
    const fresh = applyOp(op, [d, ...inputs(d)], attrs);
    const array = d instanceof Tensor ? d.toNdarray() : d;
    scatterColMajor(fresh.toNdarray().data, 0, array, false);
    return dst;
  }
  const current = valueIn(trace, d);
  const all = [current, ...inputs(d).map((x) => valueIn(trace, x))];
  opDef(op).infer(all, attrs);
  trace.addInPlaceNode(op, current, all, attrs);
  return dst;
}

function binaryInPlace(op: InPlaceOp, dst: Tensor | NdArray, src: TensorLike): Tensor | NdArray {
  return inPlace(op, dst, (d) => [source(op, d, src)], {});
}

/** dst .= src (broadcast): overwrites dst. */
export const assign = <T extends Tensor | NdArray>(dst: T, src: TensorLike): T => binaryInPlace("assign", dst, src) as T;
/** dst .+= src */
export const addAssign = <T extends Tensor | NdArray>(dst: T, src: TensorLike): T => binaryInPlace("addAssign", dst, src) as T;
/** dst .*= src */
export const mulAssign = <T extends Tensor | NdArray>(dst: T, src: TensorLike): T => binaryInPlace("mulAssign", dst, src) as T;
/** fill!(dst, value) */
export const fill = <T extends Tensor | NdArray>(dst: T, value: number): T => inPlace("fill", dst, () => [], { value }) as T;
