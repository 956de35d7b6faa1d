/**
 * What every layer shares, whatever its forward returns (a tensor, or a tuple as recurrent cells and
 * MultiHeadAttention return): Flux's printing through `String(m)` and `console.log(m)`. The base has
 * no fields, so a layer's own fields are exactly its children in the model tree.
 */
import { inspectCustom, type InspectOptions } from "@tsflux/graph";
import { showChildren, showCompact, type ShowChild, type Showable } from "../show/protocol";
import { bigShow } from "../show/big-show";
import { compactString, typeName } from "../show/compact";
import { isPlainObject, trainableChildren } from "../tree";

/** The base of every layer class: Flux's show (one line and the tree of children) for its fields. */
export abstract class LayerBase implements Showable {
  /** The one-line form, e.g. `Dense(784 => 32, σ)`; by default the class name and the fields, as Julia shows a struct. */
  [showCompact](): string {
    return `${typeName(this)}(${Object.values(this).map(compactString).join(", ")})`;
  }

  /** Children in the multi-line form: the trainable fields, with arrays and plain objects flattened (Flux's `_flat_children`). */
  [showChildren](): readonly ShowChild[] | null {
    return trainableChildren(this).flatMap(([, value]) =>
      Array.isArray(value) ? value.map((v) => ({ value: v })) : isPlainObject(value) ? Object.values(value).map((v) => ({ value: v })) : [{ value }],
    );
  }

  /** Flux's REPL form (multi-line for containers). */
  toString(): string {
    return bigShow(this);
  }

  /** console.log and the REPL: the multi-line form at top level, the one-line form inside other values. */
  [inspectCustom](depth: number | null, options: InspectOptions): string {
    if (depth !== null && options.depth !== null && depth < (options.depth ?? 2)) return compactString(this);
    return bigShow(this, options.colors ? { comment: (text) => options.stylize(text, "undefined") } : {});
  }
}
