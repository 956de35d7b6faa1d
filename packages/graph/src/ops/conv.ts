/**
 * Convolution (NNlib's conv) and its data and filter adjoints (∇conv_data, ∇conv_filter). All three are
 * bilinear and each one's derivatives are the other two, so every order of derivative stays in this set.
 * With T(x, w, dy) = <conv(x, w), dy>: convData(dy, w) = ∂T/∂x and convFilter(x, dy) = ∂T/∂w.
 */
import { ShapeError } from "../errors";
import { numel, shapeStr } from "../shape";
import { requireSameFloat } from "./validate";
import { convKernel, convDataKernel, convFilterKernel } from "../kernels/conv";
import type { FloatDType } from "../dtype";
import type { KernelArgs, OpDef } from "./types";
import type { ValueType } from "../ir/graph";
import { addT, mapT } from "./tangent-math";
import { convOp as conv, convDataOp as convData, convFilterOp as convFilter } from "../api/conv-core";
import { convGeometry, convShape, printWindow, type ConvAttrs, type ConvDataAttrs, type ConvFilterAttrs } from "./conv-geometry";

const spatialOf = (t: { shape: readonly number[] }) => t.shape.slice(0, t.shape.length - 2);
/** Two flops per multiply-add: each output element takes prod(k) * Cin/G of them. */
const flopsOf = (w: readonly number[], y: readonly number[]) => (2 * numel(y) * numel(w)) / w[w.length - 1]!;

export const convOp: OpDef<ConvAttrs> = {
  name: "conv", arity: 2,
  infer: ([x, w], attrs) => {
    requireSameFloat("conv", ["x", "w"], [x!, w!]);
    return { shape: convShape("conv", x!.shape, w!.shape, attrs), dtype: x!.dtype };
  },
  kernel: ({ attrs, inputs: [x, w], output }) => {
    const run = convKernel(convGeometry(x!.shape, w!.shape, attrs), output.dtype as FloatDType);
    return (out, [xs, ws]) => run(out, xs!, ws!);
  },
  flops: ({ inputs: [, w], output }: KernelArgs<ConvAttrs>) => flopsOf(w!.shape, output.shape),
  printAttrs: printWindow,
  // d conv(x, w) = conv(dx, w) + conv(x, dw)
  jvp: ({ x: [x, w] }, [dx, dw], a) => addT(mapT(dx ?? null, (d) => conv(d, w!, a)), mapT(dw ?? null, (d) => conv(x!, d, a))),
  // x̄ = ∇conv_data(ȳ, w), w̄ = ∇conv_filter(x, ȳ)
  vjp: ({ x: [x, w] }, dy, a) => [convData(dy, w!, { ...a, spatial: spatialOf(x!) }), convFilter(x!, dy, { ...a, kernel: spatialOf(w!) })],
};

function convDataType([dy, w]: readonly ValueType[], attrs: ConvDataAttrs): ValueType {
  requireSameFloat("convData", ["dy", "w"], [dy!, w!]);
  const nsp = dy!.shape.length - 2;
  const x = [...attrs.spatial, w!.shape[nsp]! * attrs.groups, dy!.shape[nsp + 1]!];
  const y = convShape("convData", x, w!.shape, attrs);
  if (shapeStr(y) !== shapeStr(dy!.shape)) {
    throw new ShapeError(`convData: dy ${shapeStr(dy!.shape)} is not the shape ${shapeStr(y)} a conv of w ${shapeStr(w!.shape)} gives on ${shapeStr(x)}`);
  }
  return { shape: x, dtype: dy!.dtype };
}

export const convDataOp: OpDef<ConvDataAttrs> = {
  name: "convData", arity: 2, infer: convDataType,
  kernel: ({ attrs, inputs: [, w], output }) => {
    const run = convDataKernel(convGeometry(output.shape, w!.shape, attrs), output.dtype as FloatDType, numel(output.shape));
    return (out, [dys, ws]) => run(out, dys!, ws!);
  },
  flops: ({ inputs: [dy, w] }: KernelArgs<ConvDataAttrs>) => flopsOf(w!.shape, dy!.shape),
  printAttrs: (a) => [`spatial=(${a.spatial.join(",")})`, printWindow(a)].filter(Boolean).join(","),
  // d ∇conv_data(dy, w) = ∇conv_data(d dy, w) + ∇conv_data(dy, dw)
  jvp: ({ x: [dy, w] }, [ddy, dw], a) => addT(mapT(ddy ?? null, (d) => convData(d, w!, a)), mapT(dw ?? null, (d) => convData(dy!, d, a))),
  // <z̄, ∇conv_data(dy, w)> = T(z̄, w, dy): dȳ = conv(z̄, w), w̄ = ∇conv_filter(z̄, dy)
  vjp: ({ x: [dy, w] }, g, a) => [conv(g, w!, a), convFilter(g, dy!, { ...a, kernel: spatialOf(w!) })],
};

function convFilterType([x, dy]: readonly ValueType[], attrs: ConvFilterAttrs): ValueType {
  requireSameFloat("convFilter", ["x", "dy"], [x!, dy!]);
  const nsp = x!.shape.length - 2;
  const cout = dy!.shape[nsp]!, g = attrs.groups;
  if (x!.shape[nsp]! % g !== 0) throw new ShapeError(`convFilter: groups = ${g} must divide the ${x!.shape[nsp]} channels of x ${shapeStr(x!.shape)}`);
  const w = [...attrs.kernel, x!.shape[nsp]! / g, cout];
  const y = convShape("convFilter", x!.shape, w, attrs);
  if (shapeStr(y) !== shapeStr(dy!.shape)) {
    throw new ShapeError(`convFilter: dy ${shapeStr(dy!.shape)} is not the shape ${shapeStr(y)} a conv of a ${shapeStr(w)} filter gives on x ${shapeStr(x!.shape)}`);
  }
  return { shape: w, dtype: x!.dtype };
}

export const convFilterOp: OpDef<ConvFilterAttrs> = {
  name: "convFilter", arity: 2, infer: convFilterType,
  kernel: ({ attrs, inputs: [x], output }) => {
    const run = convFilterKernel(convGeometry(x!.shape, output.shape, attrs), output.dtype as FloatDType);
    return (out, [xs, dys]) => run(out, xs!, dys!);
  },
  flops: ({ inputs: [, dy], output }: KernelArgs<ConvFilterAttrs>) => flopsOf(output.shape, dy!.shape),
  printAttrs: (a) => [`kernel=(${a.kernel.join(",")})`, printWindow(a)].filter(Boolean).join(","),
  // d ∇conv_filter(x, dy) = ∇conv_filter(dx, dy) + ∇conv_filter(x, d dy)
  jvp: ({ x: [x, dy] }, [dx, ddy], a) => addT(mapT(dx ?? null, (d) => convFilter(d, dy!, a)), mapT(ddy ?? null, (d) => convFilter(x!, d, a))),
  // <z̄, ∇conv_filter(x, dy)> = T(x, z̄, dy): x̄ = ∇conv_data(dy, z̄), dȳ = conv(x, z̄)
  vjp: ({ x: [x, dy] }, g, a) => [convData(dy!, g, { ...a, spatial: spatialOf(x!) }), conv(x!, g, a)],
};
