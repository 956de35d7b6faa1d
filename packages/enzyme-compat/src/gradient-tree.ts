/**
 * The tree Flux's `gradient` returns for a Duplicated argument (Functors' fmapstructure of the shadow):
 * plain objects and arrays mirroring the model, the shadow's own float arrays in place of parameters
 * (views, not copies), null for everything else, and null for the second appearance of a shared array.
 * Built once per shadow object and reused, since its leaves are the shadow's arrays themselves.
 */
import { childrenOf, isFloatArray, isNdarray, Tensor } from "@tsflux/graph";

const cache = new WeakMap<object, unknown>();

export function gradientTree(shadow: unknown): unknown {
  if (typeof shadow !== "object" || shadow === null) return isFloatArray(shadow) ? shadow : null;
  const known = cache.get(shadow);
  if (known !== undefined) return known;
  const tree = build(shadow, new Set());
  cache.set(shadow, tree);
  return tree;
}

function build(x: unknown, seen: Set<unknown>): unknown {
  if (isNdarray(x)) {
    if (!isFloatArray(x) || seen.has(x)) return null;
    seen.add(x);
    return x;
  }
  if (x instanceof Tensor) return x.isSymbolic ? x : build(x.toNdarray(), seen);
  if (typeof x !== "object" || x === null || ArrayBuffer.isView(x)) return null;
  if (Array.isArray(x)) return x.map((c) => build(c, seen));
  return Object.fromEntries(childrenOf(x).map(([k, c]) => [k, build(c, seen)]));
}
