/**
 * A conv layer's bias and activation applied to its output as the conv kernel finishes each chunk:
 * plane c of a sample (P output positions) becomes act(y + b[c]), with relu `x < 0 ? 0 : x`. Float32
 * data in the WebAssembly heap runs the SIMD loop, anything else the JS loop; both round as a
 * broadcast add followed by relu would, so a fused plan matches the unfused one bit for bit.
 */
import type { TypedArray } from "../dtype";
import type { GemmActivation } from "./wasm/gemm-epilogue";
import { heapOffset } from "../memory";
import { wasmChannelBias } from "./wasm/channel-bias";

/** The bias operand and activation a conv kernel applies in its store. */
export interface ConvBias {
  data: TypedArray;
  offset: number;
  readonly act: GemmActivation;
}

const same = (v: number): number => v;

/** y[yOff + c*P + p] = act(y[...] + bias[bOff + c]) for c < channels, p < P. */
export function addChannelBias(y: TypedArray, yOff: number, P: number, channels: number, bias: ConvBias, bOff: number): void {
  const relu = bias.act === "relu";
  const b = bias.data;
  if (y instanceof Float32Array && b instanceof Float32Array) {
    const py = heapOffset(y, yOff), pb = heapOffset(b, bOff);
    if (py >= 0 && pb >= 0 && wasmChannelBias(py, pb, channels, P, relu)) return;
  }
  const round = y instanceof Float32Array ? Math.fround : same;
  for (let c = 0; c < channels; c++) {
    const bc = b[bOff + c]!;
    for (let p = 0, at = yOff + c * P; p < P; p++, at++) {
      const v = round(y[at]! + bc);
      y[at] = relu && v < 0 ? 0 : v;
    }
  }
}
