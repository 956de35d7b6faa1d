/**
 * The conv-net layers of a chain import: Conv, pooling and Flatten nodes of an `[N, C, spatial...]` input
 * become Flux layers. A PyTorch Conv weight OIHW row-major is, byte for byte, `[kW, kH, I, O]` column-major,
 * Flux's layout; ONNX Conv cross-correlates, so Flux's `Conv` (a true convolution) gets it reversed along
 * the spatial dims.
 */
import { toColMajor } from "@tsflux/graph";
import { Conv, GlobalMaxPool, GlobalMeanPool, MaxPool, MeanPool, flatten } from "@tsflux/layers";
import { reverseSpatial } from "../reverse-spatial";
import { windowOf } from "./window-attrs";
import { isFloatType, toArray, type HostTensor } from "./host";
import type { NodeRecord } from "./parse";

/** A node and its constant inputs -> a Flux layer, or undefined when the node is not one this chain maps. */
type ChainLayerRule = (n: NodeRecord, params: readonly (HostTensor | undefined)[]) => unknown;

const info = (n: NodeRecord) => ({ opType: n.opType, name: n.name, opset: 0 });
/** Explicit padding only: auto_pad needs the input's size, which a chain does not track. */
const explicitPads = (n: NodeRecord) => ((n.attrs.get("auto_pad") as string | undefined) ?? "NOTSET") === "NOTSET";

const pool = (n: NodeRecord, make: (k: number[], o: { stride: number[]; pad: number[] }) => unknown) => {
  const kernel = n.attrs.get("kernel_shape") as number[] | undefined;
  if (!kernel || !explicitPads(n) || ((n.attrs.get("ceil_mode") as number | undefined) ?? 0) !== 0 || n.outputs.length !== 1) return undefined;
  const w = windowOf(n.attrs, kernel, [], info(n));
  return w.dilation.every((d) => d === 1) ? make(w.kernel, { stride: w.stride, pad: w.pad }) : undefined;
};

export const CONV_CHAIN_LAYERS: Readonly<Record<string, ChainLayerRule>> = {
  Conv: (n, [w, b]) => {
    if (!w || !isFloatType(w.dataType) || w.dims.length < 3 || w.dims.length > 5 || !explicitPads(n)) return undefined;
    const filter = toArray(w), nsp = w.dims.length - 2, declared = n.attrs.get("kernel_shape") as number[] | undefined;
    if (declared && declared.join() !== w.dims.slice(2).join()) return undefined;
    if (b && (b.dims.length !== 1 || b.dims[0] !== w.dims[0])) return undefined;
    const win = windowOf(n.attrs, w.dims.slice(2), [], info(n));
    const bias = b ? toColMajor(toArray(b), true) : false;
    return Conv(reverseSpatial(filter, nsp), bias, undefined, { stride: win.stride, pad: win.pad, dilation: win.dilation, groups: (n.attrs.get("group") as number | undefined) ?? 1 });
  },
  MaxPool: (n) => pool(n, (k, o) => MaxPool(k, o)),
  // NNlib's mean pool counts the padding: the same as ONNX's only with count_include_pad=1 or no padding
  AveragePool: (n) => pool(n, (k, o) => ((n.attrs.get("count_include_pad") ?? 0) === 1 || o.pad.every((p) => p === 0) ? MeanPool(k, o) : undefined)),
  GlobalMaxPool: () => GlobalMaxPool(),
  GlobalAveragePool: () => GlobalMeanPool(),
  Flatten: (n) => (((n.attrs.get("axis") as number | undefined) ?? 1) === 1 ? flatten : undefined),
};
