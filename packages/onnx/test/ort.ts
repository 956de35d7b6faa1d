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
    const results = await session.run({ [session.inputNames[0]!]: new OrtTensor(type, data as Float32Array, [...x.shape].reverse()) });
    return session.outputNames.map((name) => {
      const t = results[name]!;
      return wrapColMajor(t.data as Float32Array, [...t.dims].reverse());
    });
  } finally {
    await session.release();
  }
}

/** The largest |a - b| relative to the largest |b|: how far `a` is from `b` on `b`'s scale. */
export function relativeError(a: NdArray, b: NdArray): number {
  expect([...a.shape]).toEqual([...b.shape]);
  const fa = Array.from(toColMajor(a).data.subarray(0, numel(a.shape)));
  const cb = toColMajor(b), fb = Array.from(cb.data.subarray(cb.offset, cb.offset + numel(b.shape)));
  let worst = 0, scale = 0;
  fb.forEach((v, i) => {
    scale = Math.max(scale, Math.abs(v));
    worst = Math.max(worst, Math.abs(fa[i]! - v));
  });
  if (fa.some((v) => Number.isNaN(v)) || fb.some((v) => Number.isNaN(v))) return NaN;
  return scale === 0 ? worst : worst / scale;
}
