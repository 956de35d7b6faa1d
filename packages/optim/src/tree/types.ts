/** Types of state trees: what `setup` returns for a model. */
import type { FieldKey, NdArray } from "@tsflux/graph";
import type { DuplicatedLike } from "./duplicated";
import type { Leaf } from "./leaf";

/** The state of a model field that holds no trainable array (Optimisers.jl's `()`); prints as `()`. */
export type EmptyState = [];

/** A state tree: Leaves where the model has trainable arrays, mirroring the model's objects and arrays. */
export type StateTree = Leaf | EmptyState | StateTree[] | { [key: string]: StateTree };

/**
 * The state tree `setup` returns for a model of type M: a Leaf for each float array, the same keys for
 * objects and arrays, and EmptyState for everything else (functions, numbers, integer arrays).
 */
export type StateOf<M> =
  unknown extends M ? StateTree :
  M extends DuplicatedLike<infer V> ? StateOf<V> :
  M extends NdArray<Int32Array | Uint8Array> ? EmptyState :
  M extends NdArray ? Leaf :
  M extends (...args: never[]) => unknown ? EmptyState :
  M extends readonly unknown[] ? { -readonly [K in keyof M]: StateOf<M[K]> } :
  M extends object ? { -readonly [K in FieldKey<M>]: StateOf<M[K]> } :
  EmptyState;
