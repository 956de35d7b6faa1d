/**
 * Whether a shadow shares memory with its value. Two arrays overlap when they view the same storage
 * (the same ArrayBuffer, or the same plain JS array) and the byte ranges their strides reach intersect.
 * A gradient accumulated into such a shadow would overwrite the parameters it is the gradient of.
 */
import { leaves, type Leaf, type NdArray } from "@tsflux/graph";

/** The memory an array's elements lie in: its storage and the byte range [begin, end) its strides reach. */
interface Span {
  readonly storage: object;
  readonly begin: number;
  readonly end: number;
  readonly path: string;
  readonly isShadow: boolean;
}

/** The span of `a` (undefined for an array without elements). */
function spanOf(a: NdArray, path: string, isShadow: boolean): Span | undefined {
  if (a.shape.some((d) => d === 0)) return undefined;
  let low = a.offset, high = a.offset;
  a.shape.forEach((d, i) => {
    const reach = (d - 1) * a.stride[i]!;
    if (reach < 0) low += reach;
    else high += reach;
  });
  const data = a.data as unknown;
  if (ArrayBuffer.isView(data)) {
    const bytes = "BYTES_PER_ELEMENT" in data && typeof data.BYTES_PER_ELEMENT === "number" ? data.BYTES_PER_ELEMENT : 1; // a DataView counts bytes
    return { storage: data.buffer, begin: data.byteOffset + low * bytes, end: data.byteOffset + (high + 1) * bytes, path, isShadow };
  }
  return { storage: data as object, begin: low, end: high + 1, path, isShadow };
}

/**
 * The paths of the first value array and shadow array that share memory (every array of `val`
 * against every float array of `dval`, the ones a gradient is written into), or undefined when none
 * do. Paths are as `leaves` gives them (`""` for an array itself, `.layers[0].weight` in a model).
 */
export function sharedMemory(val: unknown, dval: unknown): { readonly value: string; readonly shadow: string } | undefined {
  const byStorage = new Map<object, Span[]>();
  const add = (list: Leaf[], isShadow: boolean) => {
    for (const leaf of list) {
      const span = spanOf(leaf.value, leaf.path, isShadow);
      if (span === undefined) continue;
      const spans = byStorage.get(span.storage);
      if (spans) spans.push(span);
      else byStorage.set(span.storage, [span]);
    }
  };
  add(leaves(val), false);
  add(leaves(dval, { floatOnly: true }), true);
  for (const spans of byStorage.values()) {
    // sweep in order of start: a span overlaps an earlier one of the other kind iff it starts before that one's furthest end
    spans.sort((a, b) => a.begin - b.begin);
    let furthestValue: Span | undefined, furthestShadow: Span | undefined;
    for (const s of spans) {
      const other = s.isShadow ? furthestValue : furthestShadow;
      if (other !== undefined && other.end > s.begin) return s.isShadow ? { value: other.path, shadow: s.path } : { value: s.path, shadow: other.path };
      if (s.isShadow && (furthestShadow === undefined || s.end > furthestShadow.end)) furthestShadow = s;
      if (!s.isShadow && (furthestValue === undefined || s.end > furthestValue.end)) furthestValue = s;
    }
  }
  return undefined;
}
