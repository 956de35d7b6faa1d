/**
 * Flipping a filter: true convolution (tsflux's conv, Flux's Conv) is cross-correlation (ONNX Conv) with
 * the kernel reversed along every spatial dim.
 */
import { numel, toColMajor, wrapColMajor, type NdArray } from "@tsflux/graph";

/** A column-major array reversed along its first `nsp` dims (the spatial dims of a filter). */
export function reverseSpatial(a: NdArray, nsp: number): NdArray {
  const c = toColMajor(a), shape = [...c.shape], n = numel(shape);
  const out = new (c.data.constructor as new (n: number) => Float32Array | Float64Array)(n);
  const index = new Array<number>(shape.length).fill(0);
  for (let k = 0; k < n; k++) {
    let from = 0, stride = 1;
    for (let d = 0; d < shape.length; d++) {
      from += (d < nsp ? shape[d]! - 1 - index[d]! : index[d]!) * stride;
      stride *= shape[d]!;
    }
    out[k] = c.data[c.offset + from]! as number;
    for (let d = 0; d < shape.length && ++index[d]! === shape[d]; d++) index[d] = 0;
  }
  return wrapColMajor(out, shape);
}
