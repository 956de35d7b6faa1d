/**
 * Simplifies a strided copy's loop nest without changing which element goes where: size-1 dims are
 * dropped and neighbouring dims merge when both strides continue across them (stride[a+1] =
 * stride[a]·shape[a] in source and destination). A broadcast of a per-channel vector over
 * [W, H, C, N] becomes [W·H, C, N] with a source stride 0 inner loop of W·H elements.
 */
import type { Shape } from "../shape";

/** The merged loop nest (first dim innermost); at least one dim, so a rank-0 copy stays one element. */
export function mergeStridedDims(shape: Shape, src: readonly number[], dst: readonly number[]): { shape: number[]; src: number[]; dst: number[] } {
  const out = { shape: [] as number[], src: [] as number[], dst: [] as number[] };
  if (shape.some((d) => d === 0)) return { shape: [...shape], src: [...src], dst: [...dst] };
  shape.forEach((d, a) => {
    if (d === 1) return;
    const last = out.shape.length - 1;
    if (last >= 0 && src[a] === out.src[last]! * out.shape[last]! && dst[a] === out.dst[last]! * out.shape[last]!) {
      out.shape[last]! *= d;
      return;
    }
    out.shape.push(d);
    out.src.push(src[a]!);
    out.dst.push(dst[a]!);
  });
  if (out.shape.length === 0 && shape.length > 0) return { shape: [1], src: [0], dst: [0] };
  return out;
}
