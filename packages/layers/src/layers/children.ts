/** The children of a container (Chain, Parallel): a list, or named entries (Flux's Tuple or NamedTuple). */
import type { Tensor } from "@tsflux/graph";
import { ArgumentError } from "../errors";
import { applyLayer, type LayerLike } from "./layer";
import { inChild } from "../layer-context";
import { isPlainObject } from "../tree";
import { compactString, namedList } from "../show/compact";
import type { ShowChild } from "../show/protocol";

/** Positional children (an array) or named ones (a plain object). */
export type Children = LayerLike[] | Record<string, LayerLike>;

/** What a container constructor accepts: layers, one array of layers, or one object of named layers. */
export type ChildArgs = LayerLike[] | [LayerLike[]] | [Record<string, LayerLike>];

function isLayerLike(x: unknown): x is LayerLike {
  return typeof x === "function" || (typeof x === "object" && x !== null && typeof (x as { forward?: unknown }).forward === "function");
}

/** Normalises constructor arguments; every child must be a layer or a function. */
export function childrenFrom(what: string, args: readonly unknown[]): Children {
  const [first] = args;
  const children = args.length === 1 && (Array.isArray(first) || (isPlainObject(first) && !isLayerLike(first))) ? first : [...args];
  for (const [key, child] of Object.entries(children as object)) {
    if (!isLayerLike(child)) {
      throw new ArgumentError(`${what}: child ${key} must be a layer (with a forward method) or a function, got ${compactString(child)}`);
    }
  }
  return Array.isArray(children) ? [...(children as LayerLike[])] : { ...(children as Record<string, LayerLike>) };
}

/** [path key, child] pairs: `.layers[0]` for a list, `.layers.enc` for names. */
export function childEntries(children: Children): [string, LayerLike][] {
  if (Array.isArray(children)) return children.map((c, i) => [`.layers[${i}]`, c]);
  return Object.entries(children).map(([k, c]) => [`.layers.${k}`, c]);
}

/** Applies the child at `key` (a path key, or the index in a list of layers) to `x`; its errors get the key in their path. */
export function applyChild(key: string | number, child: LayerLike, x: Tensor): Tensor {
  try {
    return applyLayer(child, x);
  } catch (error) {
    throw inChild(error, typeof key === "number" ? `.layers[${key}]` : key, child);
  }
}

/** The children in a one-line form: `Dense(2 => 3), relu` or `enc = Dense(2 => 3), dec = relu`. */
export function childrenString(children: Children): string {
  return Array.isArray(children) ? children.map(compactString).join(", ") : namedList(Object.entries(children));
}

/** The children for the multi-line form, named when given names. */
export function showEntries(children: Children): ShowChild[] {
  return Array.isArray(children) ? children.map((value) => ({ value })) : Object.entries(children).map(([name, value]) => ({ name, value }));
}
