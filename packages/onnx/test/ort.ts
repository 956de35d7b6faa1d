/** Runs ONNX bytes in ONNX Runtime on a tsflux (column-major) array and returns the output the same way. */
import { InferenceSession, Tensor as OrtTensor } from "onnxruntime-node";
import { toColMajor, numel, wrapColMajor, type NdArray } from "@tsflux/graph";

/** ONNX Runtime's outputs for one input named `input`; the column-major data is the row-major data of the reversed shape. */
export async function runOrt(bytes: Uint8Array, x: NdArray): Promise<NdArray[]> {
  const session = await InferenceSession.create(bytes);
  try {
    const c = toColMajor(x);
    const data = c.data.slice(c.offset, c.offset + numel(c.shape));
    const type = data instanceof Float64Array ? "float64" : "float32";
    const input = type === "float64" ? new OrtTensor("float64", data as Float64Array, [...x.shape].reverse()) : new OrtTensor("float32", data as Float32Array, [...x.shape].reverse());
    const results = await session.run({ [session.inputNames[0]!]: input });
    return session.outputNames.map((name) => {
      const t = results[name]!;
      return wrapColMajor(t.data as Float32Array | Float64Array, [...t.dims].reverse());
    });
  } finally {
    await session.release();
  }
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
