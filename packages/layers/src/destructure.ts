/**
 * Optimisers' `destructure`: a model's trainable arrays as one flat vector, and a function that
 * rebuilds a model of the same structure from such a vector. Rebuilding from a Tensor (while tracing)
 * keeps the new parameters as slices of it, so gradients flow back to the flat vector.
 */
import { ShapeError, Tensor, getindex, reshape, wrapColMajor, zerosArray, toFlatArray, fmap, type NdArray } from "@tsflux/graph";
import { trainables } from "./tree";
import { dtypeOf } from "./arrays";
import { compactString } from "./show/compact";

/** Rebuilds the model from a flat vector (Optimisers' `Restructure`). */
export type Restructure<M> = ((flat: NdArray | Tensor) => M) & { readonly length: number };

/**
 * `[flat, re]`: `flat` holds every trainable float array of `model` once (tied arrays once), each
 * column-major, in walk order; `re(v)` is a copy of the model whose trainable arrays are taken from `v`
 * (converted to each array's element type; other fields are shared with `model`).
 *
 * @example
 * const [flat, re] = destructure(Dense(2, 3));  // flat: Float32 vector of 9
 * re(flat).weight.shape;  // [3, 2]
 */
export function destructure<M>(model: M): [NdArray, Restructure<M>] {
  const arrays = trainables(model);
  const offsets = new Map<NdArray, number>();
  let total = 0;
  for (const a of arrays) {
    offsets.set(a, total);
    total += a.data.length === 0 ? 0 : a.shape.reduce((n, d) => n * d, 1);
  }
  const dtype = arrays.some((a) => dtypeOf(a) === "f64") ? "f64" : "f32";
  const flat = zerosArray([total], dtype);
  for (const a of arrays) (flat.data as Float32Array | Float64Array).set(toFlatArray(a), offsets.get(a)!);
  const rebuild = (v: NdArray | Tensor): M => {
    if (v.shape.length !== 1 || v.shape[0] !== total) {
      throw new ShapeError(`Restructure(${compactString(model)}, ${total}): expected a vector of length ${total}, got size [${v.shape.join(", ")}]`);
    }
    const values = v instanceof Tensor ? null : toFlatArray(v);
    return fmap((leaf) => {
      const at = offsets.get(leaf);
      if (at === undefined) return leaf;
      const n = leaf.shape.reduce((p, d) => p * d, 1);
      if (values === null) return reshape(getindex(v, [at + 1, at + n]), leaf.shape);
      const data = dtypeOf(leaf) === "f64" ? Float64Array.from(values.slice(at, at + n)) : Float32Array.from(values.slice(at, at + n));
      return wrapColMajor(data, leaf.shape);
    }, model) as M;
  };
  Object.defineProperty(rebuild, "length", { value: total });
  return [flat, rebuild as Restructure<M>];
}
