/** getindex with an Int32 array in one dim (Julia's `W[:, idx]`, `x[:, idx, :]`), built on gather. */
import { Tensor } from "../tensor";
import { DTypeError, ShapeError } from "../errors";
import { isNdarray, dtypeOf, type NdArray } from "../ndarray-util";
import { shapeStr } from "../shape";
import type { OpInput } from "../ops/apply";
import { gather } from "./indexing";
import { permutedims } from "./movement";
import { typeOf } from "./coerce";

/** 1-based positions along one dim: an Int32 ndarray or tensor of any shape. */
export type IndexArray = NdArray | Tensor;

export function isIndexArray(ix: unknown): ix is IndexArray {
  return ix instanceof Tensor || (isNdarray(ix) && !Array.isArray(ix));
}

/** x[:, ..., idx, ..., :]: the indexed dim is replaced by the shape of idx. */
export function getindexByArray(x: OpInput, indices: readonly unknown[]): Tensor {
  const shape = typeOf("getindex", x).shape;
  const at = indices.findIndex(isIndexArray);
  indices.forEach((ix, d) => {
    if (d !== at && ix !== ":") throw new ShapeError(`getindex: with an index array in dim ${at + 1}, every other index must be ":", got ${JSON.stringify(ix)} in dim ${d + 1}`);
  });
  const idx = indices[at] as IndexArray;
  const idxDtype = idx instanceof Tensor ? idx.dtype : dtypeOf("getindex", idx);
  if (idxDtype !== "i32") throw new DTypeError(`getindex: an index array must be Int32, got ${idxDtype} indices for an array of shape ${shapeStr(shape)}`);
  const last = shape.length - 1;
  if (at === last) return gather(x, idx);
  // move the indexed dim last, gather, then move the index dims back into its place
  const toLast = [...shape.keys()].filter((d) => d !== at).concat(at);
  const moved = gather(permutedims(x, toLast.map((d) => d + 1)), idx);
  const idxRank = moved.shape.length - last;
  const back = [...Array(at).keys(), ...Array.from({ length: idxRank }, (_, i) => last + i), ...Array.from({ length: last - at }, (_, i) => at + i)];
  return idxRank === 0 ? moved : permutedims(moved, back.map((d) => d + 1));
}
