/** Runs ONNX bytes in ONNX Runtime on a tsflux (column-major) array and returns the output the same way. */
import { InferenceSession, Tensor as OrtTensor } from "onnxruntime-node";
import { isNdarray, toColMajor, numel, wrapColMajor, type NdArray } from "@tsflux/graph";

/** ONNX Runtime's outputs for the model's inputs, in order; the column-major data is the row-major data of the reversed shape. */
export async function runOrt(bytes: Uint8Array, x: NdArray | readonly NdArray[]): Promise<NdArray[]> {
  const session = await InferenceSession.create(bytes);
  try {
    const xs = isNdarray(x) ? [x] : x;
    const feeds = Object.fromEntries(xs.map((xi, i) => [session.inputNames[i]!, ortTensor(xi)]));
    const results = await session.run(feeds);
    return session.outputNames.map((name) => {
      const t = results[name]!;
      return wrapColMajor(t.data as Float32Array | Float64Array, [...t.dims].reverse());
    });
  } finally {
    await session.release();
  }
}

/** An ORT tensor with the same bytes as a tsflux array (a copy out of the shared WebAssembly heap). */
function ortTensor(x: NdArray): OrtTensor {
  const c = toColMajor(x);
  const data = c.data.slice(c.offset, c.offset + numel(c.shape));
  const dims = [...x.shape].reverse();
  if (data instanceof Int32Array) return new OrtTensor("int32", data, dims);
  return data instanceof Float64Array ? new OrtTensor("float64", data, dims) : new OrtTensor("float32", data as Float32Array, dims);
}

/** The largest |a - b| relative to the largest |b|: how far `a` is from `b` on `b`'s scale. */
export function relativeError(a: NdArray, b: NdArray): number {
  expect([...a.shape]).toEqual([...b.shape]);
  const flat = (x: NdArray) => {
    const c = toColMajor(x);
    return Array.from(c.data.subarray(c.offset, c.offset + numel(x.shape)));
  };
  const fa = flat(a), fb = flat(b);
  let worst = 0, scale = 0;
  fb.forEach((v, i) => {
    scale = Math.max(scale, Math.abs(v));
    worst = Math.max(worst, Math.abs(fa[i]! - v));
  });
  if (fa.some((v) => Number.isNaN(v)) || fb.some((v) => Number.isNaN(v))) return NaN;
  return scale === 0 ? worst : worst / scale;
}
