/**
 * One check shared by the conv kernel tests: conv and both adjoints of random Float32 operands in the
 * WebAssembly heap, compiled, against the naive loops of conv-reference.ts.
 */
import { conv, convData, convFilter, compiled, longLivedZeros, toFlatArray, type NdArray, type Tensor } from "@tsflux/graph";
import { expectClose } from "@tsflux/graph/testing";
import { convDataRef, convFilterRef, convRef, type ConvSpec } from "./conv-reference";
import type { Arr } from "./reference";

/** A heap Float32 array of `shape` with entries uniform in [-1, 1) from `rng`. */
export function heapF32(shape: number[], rng: () => number): NdArray {
  const a = longLivedZeros(shape, "f32"), data = a.data as Float32Array;
  for (let i = 0; i < data.length; i++) data[i] = 2 * rng() - 1;
  return a;
}

const toArr = (x: NdArray): Arr => ({ shape: [...x.shape], data: toFlatArray(x) });
const flat = (r: Tensor | NdArray) => toFlatArray("toNdarray" in r ? r.toNdarray() : r);

/** Checks conv(x, w), ∇conv_data and ∇conv_filter for data of shape `xs` and a filter of shape `ws`. */
export function convAgainstReference(xs: number[], ws: number[], s: ConvSpec, rng: () => number): void {
  const opts = { stride: s.stride, pad: s.pad, dilation: s.dilation, groups: s.groups, flip: s.flip };
  const nsp = xs.length - 2;
  const x = heapF32(xs, rng), w = heapF32(ws, rng), y = convRef(toArr(x), toArr(w), s), dy = heapF32(y.shape, rng);
  expectClose(flat(compiled((a: Tensor, b: Tensor) => conv(a, b, opts))(x, w)), y.data, { rtol: 1e-5, atol: 1e-5 });
  const dx = flat(compiled((a: Tensor, b: Tensor) => convData(a, b, xs.slice(0, nsp), opts))(dy, w));
  expectClose(dx, convDataRef(toArr(dy), toArr(w), xs, s).data, { rtol: 1e-5, atol: 1e-5 });
  const dw = flat(compiled((a: Tensor, b: Tensor) => convFilter(a, b, ws.slice(0, nsp), opts))(x, dy));
  expectClose(dw, convFilterRef(toArr(x), toArr(dy), ws, s).data, { rtol: 1e-5, atol: 1e-4 });
}
