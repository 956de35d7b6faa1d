/** Slicing, its transpose (placing a slice into zeros), and concatenation: linear ops. */
import { ShapeError, DTypeError } from "../errors";
import { colMajorStrides, numel, shapeStr, type Shape } from "../shape";
import { stridedCopier } from "../kernels/strided";
import { zeroFill } from "../kernels/zero-fill";
import { tupleStr } from "../ir/print";
import type { OpDef } from "./types";
import type { ValueType } from "../ir/graph";
import { sliceAxes, unslice, concatAxis, reshape as reshapeTo } from "../api/movement";
import { zerosLike } from "../api/creation";
import type { SliceAttrs, UnsliceAttrs, ConcatAttrs } from "./attrs";
export type { SliceAttrs, UnsliceAttrs, ConcatAttrs } from "./attrs";

const noFlops = () => 0;
export const sliceLength = (start: number, stop: number, step: number): number => Math.max(0, Math.ceil((stop - start) / step));

function sliceType([x]: readonly ValueType[], { start, stop, step }: SliceAttrs): ValueType {
  const shape = x!.shape;
  if (start.length !== shape.length || stop.length !== shape.length || step.length !== shape.length) {
    throw new ShapeError(`slice: expected ${shape.length} index ranges for an array of shape ${shapeStr(shape)}, got ${start.length}`);
  }
  shape.forEach((d, i) => {
    const [a, b, s] = [start[i]!, stop[i]!, step[i]!];
    if (!Number.isInteger(s) || s < 1) throw new ShapeError(`slice: step ${s} in dim ${i + 1} must be a positive integer`);
    if (sliceLength(a, b, s) > 0 && (a < 0 || b > d)) {
      throw new ShapeError(`slice: index range ${a + 1}:${b} in dim ${i + 1} is out of bounds for an array of shape ${shapeStr(shape)}`);
    }
  });
  return { shape: shape.map((_, i) => sliceLength(start[i]!, stop[i]!, step[i]!)), dtype: x!.dtype };
}

const printRanges = (start: readonly number[], stop: readonly number[], step: readonly number[]) =>
  start.map((a, i) => (step[i] === 1 ? `${a + 1}:${stop[i]}` : `${a + 1}:${step[i]}:${stop[i]}`)).join(",");

export const sliceOp: OpDef<SliceAttrs> = {
  name: "slice", arity: 1, infer: sliceType, flops: noFlops,
  kernel: ({ attrs: { start, step }, inputs: [x], output }) => {
    const inStrides = colMajorStrides(x!.shape);
    const base = start.reduce((acc, a, i) => acc + (output.shape[i]! > 0 ? a * inStrides[i]! : 0), 0);
    const copy = stridedCopier(output.dtype, output.shape, inStrides.map((s, i) => s * step[i]!), colMajorStrides(output.shape));
    return (out, [xs]) => copy(xs!.data, xs!.offset + base, out.data, out.offset);
  },
  printAttrs: ({ start, stop, step }) => `[${printRanges(start, stop, step)}]`,
  // d x[r] = dx[r]
  jvp: (_p, [dx], a) => sliceAxes(dx!, a.start, a.stop, a.step),
  // x̄ = ȳ placed at the slice, zeros elsewhere
  transpose: (dy, { start, step }, [x]) => [unslice(dy, x!.shape, start, step)],
};

function unsliceType([y]: readonly ValueType[], { shape, start, step }: UnsliceAttrs): ValueType {
  const expected = shape.map((d, i) => sliceLength(start[i]!, d, step[i]!));
  const fits = y!.shape.length === shape.length && y!.shape.every((d, i) => d <= expected[i]!);
  if (!fits) throw new ShapeError(`unslice: a slice of shape ${shapeStr(y!.shape)} does not fit in ${shapeStr(shape)} from (${start.map((a) => a + 1).join(",")})`);
  return { shape, dtype: y!.dtype };
}

export const unsliceOp: OpDef<UnsliceAttrs> = {
  name: "unslice", arity: 1, infer: unsliceType, flops: noFlops,
  kernel: ({ attrs: { start, step }, inputs: [y], output }) => {
    const outStrides = colMajorStrides(output.shape);
    const base = start.reduce((acc, a, i) => acc + (y!.shape[i]! > 0 ? a * outStrides[i]! : 0), 0);
    const n = numel(output.shape);
    const copy = stridedCopier(output.dtype, y!.shape, colMajorStrides(y!.shape), outStrides.map((s, i) => s * step[i]!));
    return (out, [ys]) => {
      zeroFill(out.data, out.offset, out.offset + n);
      copy(ys!.data, ys!.offset, out.data, out.offset + base);
    };
  },
  printAttrs: ({ shape, start, step }) => `shape=${tupleStr(shape)},at=${tupleStr(start.map((a, i) => (step[i] === 1 ? `${a + 1}` : `${a + 1}:${step[i]}`)))}`,
  // d unslice(y) = unslice(dy)
  jvp: (_p, [dy], a) => unslice(dy!, a.shape, a.start, a.step),
  // ȳ = the slice of the cotangent
  transpose: (dz, { start, step }, [y]) => [sliceAxes(dz, start, start.map((a, i) => a + (y!.shape[i]! - 1) * step[i]! + 1), step)],
};

function concatType(ins: readonly ValueType[], { axis }: ConcatAttrs): ValueType {
  if (ins.length === 0) throw new ShapeError("concat: needs at least one array");
  const first = ins[0]!;
  const rank = Math.max(axis + 1, ...ins.map((t) => t.shape.length));
  const pad = (s: Shape) => [...s, ...Array<number>(rank - s.length).fill(1)];
  let total = 0;
  ins.forEach((t, i) => {
    if (t.dtype !== first.dtype) throw new DTypeError(`concat: argument ${i + 1} is ${t.dtype} but argument 1 is ${first.dtype}`);
    const s = pad(t.shape), s0 = pad(first.shape);
    s.forEach((d, k) => {
      if (k !== axis && d !== s0[k]) {
        throw new ShapeError(`concat: argument ${i + 1} has shape ${shapeStr(t.shape)} but argument 1 has ${shapeStr(first.shape)}; all dims except dim ${axis + 1} must match`);
      }
    });
    total += s[axis]!;
  });
  const shape = pad(first.shape);
  shape[axis] = total;
  return { shape, dtype: first.dtype };
}

export const concatOp: OpDef<ConcatAttrs> = {
  name: "concat", arity: "variadic", infer: concatType, flops: noFlops,
  kernel: ({ attrs: { axis }, inputs, output }) => {
    const outStrides = colMajorStrides(output.shape);
    let at = 0;
    const parts = inputs.map((t) => {
      const shape = output.shape.map((d, k) => (k === axis ? (t.shape[axis] ?? 1) : d));
      const part = { base: at * outStrides[axis]!, copy: stridedCopier(output.dtype, shape, colMajorStrides(shape), outStrides) };
      at += shape[axis]!;
      return part;
    });
    return (out, ins) => {
      for (let i = 0; i < parts.length; i++) parts[i]!.copy(ins[i]!.data, ins[i]!.offset, out.data, out.offset + parts[i]!.base);
    };
  },
  printAttrs: ({ axis }) => `dims=${axis + 1}`,
  // d concat(xs) = concat(dxs), with zeros for inactive inputs
  jvp: ({ x }, dxs, { axis }) => concatAxis(x.map((xi, i) => dxs[i] ?? zerosLike(xi)), axis),
  // each x̄ᵢ is its block of ȳ
  transpose: (dy, { axis }, ins) => {
    let at = 0;
    return ins.map((t) => {
      const len = t.shape[axis] ?? 1;
      const start = dy.shape.map((_, k) => (k === axis ? at : 0));
      const stop = dy.shape.map((d, k) => (k === axis ? at + len : d));
      at += len;
      const part = sliceAxes(dy, start, stop, dy.shape.map(() => 1));
      return part.shape.length === t.shape.length ? part : reshapeTo(part, t.shape);
    });
  },
};

