/**
 * Max and mean pooling (NNlib semantics). Max pooling routes values through each window's first
 * maximum: maxpool(x) = maxpoolGather(x, x), and its adjoint maxpoolScatter sends dy to that element.
 * Both are linear in their first argument and constant in x (the choice of element is piecewise
 * constant), so their derivatives stay in this set. Mean pooling is linear; its transpose spreads dy.
 */
import { ShapeError } from "../errors";
import { allocLongLived } from "../memory";
import { numel, shapeStr, type Shape } from "../shape";
import { requireFloatType, requireSameFloat } from "./validate";
import { argmaxWindows, packPool, poolGeometry, windowSpread, windowSums } from "../kernels/pool";
import { maxPoolPass, maxPoolPlanFor } from "../kernels/pool-max";
import { MAX_POOL_FLOOR_F32, maxPool2x2For } from "../kernels/pool-2x2";
import { zeroFill } from "../kernels/zero-fill";
import type { KernelArgs, KernelFn, OpDef, Slot } from "./types";
import type { ValueType } from "../ir/graph";
import { checkWindow, spatialOutput, type PoolAttrs } from "./conv-geometry";
import { maxpoolGatherOp as gather, maxpoolScatterOp as scatter, meanpoolOp as meanpool, meanpoolAdjointOp as meanpoolAdjoint } from "../api/pool-core";
import type { PoolAdjointAttrs } from "./attrs";
export type { PoolAdjointAttrs } from "./attrs";

/** Output shape of pooling data of shape `x`. */
export function poolShape(op: string, x: Shape, a: PoolAttrs): number[] {
  const nsp = x.length - 2;
  if (nsp < 1 || nsp > 3) throw new ShapeError(`${op}: expected data [spatial..., C, N] with 1 to 3 spatial dims, got ${shapeStr(x)}`);
  if (a.window.length !== nsp || a.window.some((k) => !Number.isInteger(k) || k < 1)) {
    throw new ShapeError(`${op}: window (${a.window.join(", ")}) must be ${nsp} positive integers for data ${shapeStr(x)}`);
  }
  const w = { stride: a.stride, pad: a.pad, dilation: a.window.map(() => 1) };
  checkWindow(op, nsp, w);
  return [...spatialOutput(op, x.slice(0, nsp), a.window, w), x[nsp]!, x[nsp + 1]!];
}

const printPool = (a: PoolAttrs) =>
  [`window=(${a.window.join(",")})`, a.stride.some((s, i) => s !== a.window[i]) ? `stride=(${a.stride.join(",")})` : "", a.pad.some((p) => p !== 0) ? `pad=(${a.pad.join(",")})` : ""]
    .filter(Boolean).join(",");

/** -floatmax of the dtype: NNlib's max pooling starts from nextfloat(typemin(T)). */
const floorOf = (dtype: string) => (dtype === "f32" ? MAX_POOL_FLOOR_F32 : -Number.MAX_VALUE);

/**
 * For data of type `x`: a function computing each window's first-maximum index (into scratch made on
 * first use: the Wasm passes serve every call whose arrays are in the heap, and then it is never made).
 */
function argmaxKernel(x: ValueType, a: PoolAttrs): (xs: Slot) => Int32Array {
  const g = poolGeometry(x.shape, a);
  const floor = floorOf(x.dtype);
  let packed: ReturnType<typeof packPool> | undefined, at: Int32Array | undefined;
  return (xs) => {
    packed ??= packPool(g);
    at ??= allocLongLived("i32", g.planes * g.outS[0]! * g.outS[1]! * g.outS[2]!) as Int32Array;
    argmaxWindows(packed, xs.data, xs.offset, floor, at);
    return at;
  };
}

const noFlops = () => 0;
const sameType = ([x]: readonly ValueType[], a: PoolAttrs, op: string): ValueType => {
  requireFloatType(op, "x", x!);
  return { shape: poolShape(op, x!.shape, a), dtype: x!.dtype };
};

export const maxpoolOp: OpDef<PoolAttrs> = {
  name: "maxpool", arity: 1, infer: (ins, a) => sameType(ins, a, "maxpool"), flops: ({ inputs: [x] }) => numel(x!.shape), printAttrs: printPool,
  kernel: ({ attrs, inputs: [x], output }): KernelFn => {
    // the 2x2 kernels, else the general Wasm pass, else the JS argmax loop (its arrays outside the heap)
    const two = maxPool2x2For(x!.shape, x!.dtype, attrs), fast = two ? undefined : maxPoolPlanFor(x!.shape, x!.dtype, attrs), argmax = argmaxKernel(x!, attrs);
    const n = numel(output.shape), floor = floorOf(output.dtype);
    return (out, [xs]) => {
      if (two?.max(out, xs!, floor)) return;
      if (fast && maxPoolPass("max", fast, xs!.data, xs!.offset, out.data, out.offset, out.data, out.offset, floor)) return;
      const at = argmax(xs!);
      for (let o = 0; o < n; o++) out.data[out.offset + o] = at[o]! >= 0 ? xs!.data[xs!.offset + at[o]!]! : floor;
    };
  },
  // d maxpool(x) = dx at each window's first maximum
  jvp: ({ x: [x] }, [dx], a) => (dx ? gather(dx, x!, a) : null),
  // x̄ = ȳ sent to each window's first maximum
  vjp: ({ x: [x] }, dy, a) => [scatter(dy, x!, a)],
};

function gatherType([v, x]: readonly ValueType[], a: PoolAttrs): ValueType {
  requireSameFloat("maxpoolGather", ["v", "x"], [v!, x!]);
  if (shapeStr(v!.shape) !== shapeStr(x!.shape)) throw new ShapeError(`maxpoolGather: v ${shapeStr(v!.shape)} must have the shape of x ${shapeStr(x!.shape)}`);
  return { shape: poolShape("maxpoolGather", x!.shape, a), dtype: x!.dtype };
}

export const maxpoolGatherOp: OpDef<PoolAttrs> = {
  name: "maxpoolGather", arity: 2, infer: gatherType, flops: noFlops, printAttrs: printPool,
  kernel: ({ attrs, inputs: [, x], output }: KernelArgs<PoolAttrs>): KernelFn => {
    const argmax = argmaxKernel(x!, attrs), fast = maxPoolPlanFor(x!.shape, x!.dtype, attrs), floor = floorOf(x!.dtype);
    const n = numel(output.shape);
    return (out, [vs, xs]) => {
      if (fast && maxPoolPass("gather", fast, xs!.data, xs!.offset, out.data, out.offset, vs!.data, vs!.offset, floor)) return;
      const at = argmax(xs!);
      for (let o = 0; o < n; o++) out.data[out.offset + o] = at[o]! >= 0 ? vs!.data[vs!.offset + at[o]!]! : 0;
    };
  },
  // d gather(v, x) = gather(dv, x): the selection does not move under small changes of x
  jvp: ({ x: [, x] }, [dv], a) => (dv ? gather(dv, x!, a) : null),
  // v̄ = scatter(ȳ, x); x̄ = 0
  vjp: ({ x: [, x] }, dy, a) => [scatter(dy, x!, a), null],
};

function scatterType([dy, x]: readonly ValueType[], a: PoolAttrs): ValueType {
  requireSameFloat("maxpoolScatter", ["dy", "x"], [dy!, x!]);
  const y = poolShape("maxpoolScatter", x!.shape, a);
  if (shapeStr(y) !== shapeStr(dy!.shape)) throw new ShapeError(`maxpoolScatter: dy ${shapeStr(dy!.shape)} must have the pooled shape ${shapeStr(y)} of x ${shapeStr(x!.shape)}`);
  return { shape: x!.shape, dtype: x!.dtype };
}

export const maxpoolScatterOp: OpDef<PoolAttrs> = {
  name: "maxpoolScatter", arity: 2, infer: scatterType, flops: noFlops, printAttrs: printPool,
  kernel: ({ attrs, inputs: [dy, x] }: KernelArgs<PoolAttrs>): KernelFn => {
    const two = maxPool2x2For(x!.shape, x!.dtype, attrs), fast = two ? undefined : maxPoolPlanFor(x!.shape, x!.dtype, attrs);
    const argmax = argmaxKernel(x!, attrs), floor = floorOf(x!.dtype);
    const n = numel(dy!.shape), nx = numel(x!.shape);
    return (out, [dys, xs]) => {
      if (two?.scatter(out, dys!, xs!, floor)) return;
      zeroFill(out.data, out.offset, out.offset + nx);
      if (fast && maxPoolPass("scatter", fast, xs!.data, xs!.offset, dys!.data, dys!.offset, out.data, out.offset, floor)) return;
      const at = argmax(xs!);
      for (let o = 0; o < n; o++) if (at[o]! >= 0) out.data[out.offset + at[o]!]! += dys!.data[dys!.offset + o]!;
    };
  },
  // d scatter(dy, x) = scatter(d dy, x)
  jvp: ({ x: [, x] }, [ddy], a) => (ddy ? scatter(ddy, x!, a) : null),
  // dȳ = gather(z̄, x); x̄ = 0
  vjp: ({ x: [, x] }, g, a) => [gather(g, x!, a), null],
};

const meanScale = (a: PoolAttrs, dtype: string) => {
  const s = 1 / a.window.reduce((p, k) => p * k, 1);
  return dtype === "f32" ? Math.fround(s) : s;
};

export const meanpoolOp: OpDef<PoolAttrs> = {
  name: "meanpool", arity: 1, infer: (ins, a) => sameType(ins, a, "meanpool"), flops: ({ inputs: [x] }) => numel(x!.shape), printAttrs: printPool,
  kernel: ({ attrs, inputs: [x], output }): KernelFn => {
    const g = packPool(poolGeometry(x!.shape, attrs)), scale = meanScale(attrs, output.dtype);
    return (out, [xs]) => windowSums(g, xs!.data, xs!.offset, out.data, out.offset, scale);
  },
  // d meanpool(x) = meanpool(dx)
  jvp: (_p, [dx], a) => (dx ? meanpool(dx, a) : null),
  // x̄ = ȳ / prod(window) spread over each window's in-bounds elements
  transpose: (dy, a, [x]) => [meanpoolAdjoint(dy, { ...a, spatial: x!.shape.slice(0, x!.shape.length - 2) })],
};

function meanAdjointType([dy]: readonly ValueType[], a: PoolAdjointAttrs): ValueType {
  requireFloatType("meanpoolAdjoint", "dy", dy!);
  const nsp = dy!.shape.length - 2;
  const x = [...a.spatial, dy!.shape[nsp]!, dy!.shape[nsp + 1]!];
  const y = poolShape("meanpoolAdjoint", x, a);
  if (shapeStr(y) !== shapeStr(dy!.shape)) throw new ShapeError(`meanpoolAdjoint: dy ${shapeStr(dy!.shape)} must have the pooled shape ${shapeStr(y)} of ${shapeStr(x)}`);
  return { shape: x, dtype: dy!.dtype };
}

export const meanpoolAdjointOp: OpDef<PoolAdjointAttrs> = {
  name: "meanpoolAdjoint", arity: 1, infer: meanAdjointType, flops: ({ output }) => numel(output.shape),
  printAttrs: (a) => `spatial=(${a.spatial.join(",")}),${printPool(a)}`,
  kernel: ({ attrs, output }): KernelFn => {
    const g = packPool(poolGeometry(output.shape, attrs)), scale = meanScale(attrs, output.dtype), n = numel(output.shape);
    return (out, [dys]) => {
      zeroFill(out.data, out.offset, out.offset + n);
      windowSpread(g, dys!.data, dys!.offset, out.data, out.offset, scale);
    };
  },
  // d meanpoolAdjoint(dy) = meanpoolAdjoint(d dy)
  jvp: (_p, [ddy], a) => (ddy ? meanpoolAdjoint(ddy, a) : null),
  // dȳ = meanpool(z̄)
  transpose: (dz, a) => [meanpool(dz, a)],
};
