/**
 * The window attributes of ONNX Conv, ConvTranspose and pooling nodes in tsflux's order: ONNX lists the
 * spatial dims H before W and pads as `[begin..., end...]`; tsflux lists W first and pads per dim
 * `[lo1, hi1, lo2, hi2, ...]`.
 */
import { OnnxError } from "../errors";
import { attr, where, type AttrMap, type NodeInfo } from "./context";

/** Per-dim settings of a window over `kernel` (ONNX order), in tsflux order. */
export interface TsfluxWindow {
  /** tsflux order (dim 1 = W). */
  kernel: number[];
  stride: number[];
  dilation: number[];
  /** `[lo1, hi1, lo2, hi2, ...]`, dim 1 = W. */
  pad: number[];
}

/** The window of a node over data of ONNX spatial dims `spatial`, with `kernel` in ONNX order; auto_pad resolved. */
export function windowOf(attrs: AttrMap, kernel: readonly number[], spatial: readonly number[], n: NodeInfo): TsfluxWindow {
  const nsp = kernel.length;
  const ones = kernel.map(() => 1);
  const strides = attr(attrs, "strides", ones), dilations = attr(attrs, "dilations", ones);
  const autoPad = String(attr(attrs, "auto_pad", "NOTSET"));
  let pads = attr(attrs, "pads", [...ones, ...ones].map(() => 0));
  if (autoPad === "VALID") pads = pads.map(() => 0);
  else if (autoPad === "SAME_UPPER" || autoPad === "SAME_LOWER") {
    // output = ceil(in / stride); the total padding is split with the extra element at the end (UPPER) or the start (LOWER)
    const total = spatial.map((s, i) => Math.max(0, (Math.ceil(s / strides[i]!) - 1) * strides[i]! + (kernel[i]! - 1) * dilations[i]! + 1 - s));
    const small = total.map((t) => Math.floor(t / 2)), big = total.map((t, i) => t - small[i]!);
    pads = autoPad === "SAME_UPPER" ? [...small, ...big] : [...big, ...small];
  } else if (autoPad !== "NOTSET") throw new OnnxError(`${where(n)}: auto_pad '${autoPad}' is not an ONNX setting`);
  if (strides.length !== nsp || dilations.length !== nsp || pads.length !== 2 * nsp) {
    throw new OnnxError(`${where(n)}: strides, dilations and pads must have ${nsp}, ${nsp} and ${2 * nsp} entries for a kernel of ${nsp} dims`);
  }
  const rev = (xs: readonly number[]) => [...xs].reverse();
  const pad = rev(kernel.map((_, i) => i)).flatMap((i) => [pads[i]!, pads[nsp + i]!]);
  return { kernel: rev(kernel), stride: rev(strides), dilation: rev(dilations), pad };
}
