/**
 * Import rules of convolution, pooling and BatchNormalization. ONNX data `[N, C, H, W]`
 * is tsflux `[W, H, C, N]` and an ONNX filter `[O, I/group, kH, kW]` is a tsflux filter `[kW, kH, I/group, O]`:
 * the same bytes. ONNX Conv cross-correlates, so it is tsflux's conv with `flip: false`, and
 * ConvTranspose (its adjoint) is tsflux's convData with `flip: false`.
 */
import { Tensor, add, conv, convData, div, full, maximum, mean, meanpool, maxpool, mul, reshape, sqrt, sub, type NdArray } from "@tsflux/graph";
import { OnnxError } from "../errors";
import { attr, onnxDims, tensorOf, where, type ImportRule, type NodeInfo, type Operand } from "./context";
import { windowOf } from "./window-attrs";

type Data = Tensor | NdArray;

/** A per-channel vector [C] shaped to broadcast over data of rank `rank` (channels are tsflux dim rank - 1). */
const perChannel = (v: Data, rank: number): Tensor => reshape(v, Array.from({ length: rank }, (_, i) => (i === rank - 2 ? v.shape[0]! : 1)));

/** Data with 1 to 3 spatial dims, as ONNX dims, or a clear error. */
function spatialData(x: Operand | undefined, n: NodeInfo): { data: Data; spatial: number[] } {
  const data = tensorOf(x, n), dims = onnxDims(data);
  if (dims.length < 3 || dims.length > 5) throw new OnnxError(`${where(n)}: expected data [N, C, spatial...] with 1 to 3 spatial dims, got dims [${dims.join(", ")}]`);
  return { data, spatial: dims.slice(2) };
}

/** The filter's ONNX kernel dims, checked against `kernel_shape` when given. */
function kernelOf(w: Data, attrs: ReadonlyMap<string, unknown>, n: NodeInfo): number[] {
  const kernel = onnxDims(w).slice(2);
  const declared = attrs.get("kernel_shape") as number[] | undefined;
  if (declared && declared.join(",") !== kernel.join(",")) throw new OnnxError(`${where(n)}: kernel_shape [${declared.join(", ")}] differs from the weight's spatial dims [${kernel.join(", ")}]`);
  return kernel;
}

const withBias = (y: Tensor, b: Operand | undefined, n: NodeInfo, like: Data): Tensor => (b === undefined ? y : add(y, perChannel(tensorOf(b, n, like), y.shape.length)));

function pool(kind: "max" | "average"): ImportRule {
  return ([x], attrs, n) => {
    const { data, spatial } = spatialData(x, n);
    if (attr(attrs, "ceil_mode", 0) !== 0) throw new OnnxError(`${where(n)}: ceil_mode=1 is not supported (tsflux's pools floor the output size, as NNlib's)`);
    const w = windowOf(attrs, attr(attrs, "kernel_shape", [] as number[]), spatial, n);
    if (w.kernel.length !== spatial.length) throw new OnnxError(`${where(n)}: kernel_shape must have ${spatial.length} entries`);
    if (w.dilation.some((d) => d !== 1)) throw new OnnxError(`${where(n)}: dilated pooling is not supported`);
    const opts = { stride: w.stride, pad: w.pad };
    if (kind === "max") return maxpool(data, w.kernel, opts);
    const y = meanpool(data, w.kernel, opts);
    if (attr(attrs, "count_include_pad", 0) === 1 || w.pad.every((p) => p === 0)) return y;
    // count_include_pad=0: divide by the number of real elements in each window (the mean pool of ones, times the window)
    const dtype = data instanceof Tensor ? data.dtype : data.data instanceof Float64Array ? "f64" : "f32";
    const ones = full(1, [...w.kernel.map((_, i) => data.shape[i]!), 1, 1], dtype);
    return div(y, meanpool(ones, w.kernel, opts));
  };
}

/** The tsflux dims (1-based) of the spatial dims of data of rank `rank`. */
const spatialDims = (rank: number) => Array.from({ length: rank - 2 }, (_, i) => i + 1);

export const convImports: Record<string, ImportRule> = {
  Conv: ([x, w, b], attrs, n) => {
    const { data, spatial } = spatialData(x, n);
    const filter = tensorOf(w, n, x);
    const win = windowOf(attrs, kernelOf(filter, attrs, n), spatial, n);
    const y = conv(data, filter, { stride: win.stride, pad: win.pad, dilation: win.dilation, groups: attr(attrs, "group", 1), flip: false });
    return withBias(y, b, n, data);
  },

  ConvTranspose: ([x, w, b], attrs, n) => {
    const { data, spatial } = spatialData(x, n);
    const filter = tensorOf(w, n, x);
    if (attrs.has("output_shape")) throw new OnnxError(`${where(n)}: output_shape is not supported; write the output size with pads and output_padding`);
    const kernel = kernelOf(filter, attrs, n);
    const win = windowOf(attrs, kernel, spatial, n);
    const extra = [...attr(attrs, "output_padding", kernel.map(() => 0))].reverse();
    const inS = [...spatial].reverse();
    // output = stride (in - 1) + output_padding + dilation (k - 1) + 1 - pads
    const out = inS.map((s, i) => win.stride[i]! * (s - 1) + extra[i]! + win.dilation[i]! * (win.kernel[i]! - 1) + 1 - win.pad[2 * i]! - win.pad[2 * i + 1]!);
    const y = convData(data, filter, out, { stride: win.stride, pad: win.pad, dilation: win.dilation, groups: attr(attrs, "group", 1), flip: false });
    return withBias(y, b, n, data);
  },

  MaxPool: (inputs, attrs, n) => pool("max")(inputs, attrs, n),
  AveragePool: (inputs, attrs, n) => pool("average")(inputs, attrs, n),
  GlobalMaxPool: ([x], _attrs, n) => maximum(spatialData(x, n).data, { dims: spatialDims(onnxDims(x!).length) }),
  GlobalAveragePool: ([x], _attrs, n) => mean(spatialData(x, n).data, { dims: spatialDims(onnxDims(x!).length) }),

  // inference form: y = (x - mean) / sqrt(var + epsilon) * scale + B, per channel (ONNX dim 1)
  BatchNormalization: ([x, scale, b, mu, sigma2], attrs, n) => {
    if (attr(attrs, "training_mode", 0) !== 0) throw new OnnxError(`${where(n)}: training_mode=1 is not supported; export the model in inference mode`);
    const data = tensorOf(x, n), r = data.shape.length;
    if (r < 2) throw new OnnxError(`${where(n)}: expected data [N, C, ...], got dims [${onnxDims(data).join(", ")}]`);
    const [g, beta, m, v] = [scale, b, mu, sigma2].map((p) => perChannel(tensorOf(p, n, data), r));
    const eps = attr(attrs, "epsilon", 1e-5);
    return add(mul(div(sub(data, m!), sqrt(add(v!, eps))), g!), beta!);
  },
};
