/**
 * Import rule of Gather. On shapes and integer constants it runs on the host (ops-shape); on float data
 * it is tsflux's gather of columns with the indices made 1-based: along axis 0 (an embedding lookup, ONNX
 * `[vocab, dim]` = tsflux `[dim, vocab]`) directly, along another axis with that dim moved last and back.
 */
import { gather, permutedims, reshape, wrapColMajor, type NdArray, type Tensor } from "@tsflux/graph";
import { OnnxError } from "../errors";
import { attr, normAxis, onnxDims, tensorOf, where, type ImportRule } from "./context";
import { isHost } from "./host";
import { isShifted } from "./index-shift";
import { shapeImports } from "./ops-shape";

export const gatherImports: Record<string, ImportRule> = {
  // ONNX axis a of rank r is tsflux dim d = r - 1 - a: move it last, gather its columns (1-based), move the index dims back to d
  Gather: (inputs, attrs, n) => {
    const [x, i] = inputs;
    if (isHost(x)) return shapeImports.Gather!(inputs, attrs, n);
    const data = tensorOf(x, n), r = data.shape.length;
    const d = r - 1 - normAxis(attr(attrs, "axis", 0), r, n), len = data.shape[d]!;
    if (i === undefined) throw new OnnxError(`${where(n)}: the indices are missing`);
    const dims = onnxDims(i);
    let oneBased: Tensor | NdArray;
    if (isHost(i)) oneBased = wrapColMajor(Int32Array.from(i.data, (v) => (Number(v) < 0 ? Number(v) + len : Number(v)) + 1), dims.length === 0 ? [1] : [...dims].reverse());
    else if (isShifted(i) && i.shift === -1) oneBased = dims.length === 0 ? reshape(i.indices, [1]) : i.indices;
    else throw new OnnxError(`${where(n)}: indices computed from data must be tsflux's 1-based Int32 indices minus 1 (as toOnnx writes them); 0-based index data has no tsflux counterpart yet`);
    const q = Math.max(dims.length, 1);
    const others = Array.from({ length: r }, (_, k) => k).filter((k) => k !== d);
    const last = d === r - 1 ? data : permutedims(data, [...others, d].map((k) => k + 1));
    const picked = gather(last, oneBased);
    // picked is [dims before d, dims after d, index dims]
    const back = d === r - 1 ? picked : permutedims(picked, [...Array.from({ length: d }, (_, k) => k + 1), ...Array.from({ length: q }, (_, k) => r + k), ...Array.from({ length: r - 1 - d }, (_, k) => d + 1 + k)]);
    return dims.length === 0 ? reshape(back, data.shape.filter((_, k) => k !== d)) : back;
  },
};
