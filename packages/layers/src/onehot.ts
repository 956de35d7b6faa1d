/**
 * One-hot encoding (OneHotArrays' `onehotbatch` / `onecold`). tsflux returns a dense Float32 array
 * [nclasses, n], which every op and loss accepts. Labels compare with SameValueZero (as `Array.includes`).
 */
import { ShapeError, Tensor, isNdarray, toFlatArray, wrapColMajor, type NdArray, allocData } from "@tsflux/graph";
import { ArgumentError } from "./errors";
import { sizeStr } from "./arrays";

/** Labels as a JS array, or an ndarray (a vector of class values). */
export type Labels<L> = readonly L[] | NdArray;

function labelList<L>(labels: Labels<L>): L[] {
  return isNdarray(labels) ? (toFlatArray(labels) as L[]) : [...labels];
}

/**
 * A Float32 array [classes.length, labels.length] with a 1 at (index of labels[j] in classes, j). A
 * label not among `classes` takes the column of `fallback` when given, else is an ArgumentError.
 *
 * @example
 * const y = onehotbatch(["b", "a"], ["a", "b", "c"]);  // [0 1; 1 0; 0 0], size [3, 2]
 * onecold(y, ["a", "b", "c"]);  // ["b", "a"]
 */
export function onehotbatch<L>(labels: Labels<L>, classes: readonly L[], fallback?: L): NdArray {
  const index = new Map<L, number>();
  classes.forEach((c, i) => {
    if (!index.has(c)) index.set(c, i);
  });
  const list = labelList(labels);
  const data = allocData("f32", classes.length * list.length);
  list.forEach((label, j) => {
    const i = index.get(label) ?? (fallback !== undefined ? index.get(fallback) : undefined);
    if (i === undefined) throw new ArgumentError(`onehotbatch: label ${String(label)} (position ${j + 1}) is not among the ${classes.length} classes${fallback !== undefined ? `, nor is the default ${String(fallback)}` : ""}`);
    data[j * classes.length + i] = 1;
  });
  return wrapColMajor(data, [classes.length, list.length]);
}

/** The row of the largest value in column j (Julia's argmax: the first NaN, else the first maximum). */
function argmaxColumn(values: readonly number[], rows: number, j: number): number {
  let best = 0;
  for (let i = 0; i < rows; i++) {
    const v = values[j * rows + i]!, b = values[j * rows + best]!;
    if (Number.isNaN(v)) return i;
    if (v > b) best = i;
  }
  return best;
}

/**
 * The inverse of onehotbatch: for each column of y ([nclasses, n], or a vector taken as one column),
 * the label of its largest entry. Labels default to 1..nclasses, as in Julia.
 *
 * @example
 * onecold(wrapColMajor(new Float32Array([0.1, 0.7, 0.2, 5, -1, 5]), [3, 2]));  // [2, 1]
 */
export function onecold<L = number>(y: Tensor | NdArray, labels?: readonly L[]): L[] {
  const array = y instanceof Tensor ? y.toNdarray() : y;
  const shape = array.shape;
  if (shape.length < 1 || shape.length > 2) throw new ShapeError(`onecold: expected a vector or a matrix [nclasses, n], got size ${sizeStr(shape)}`);
  const rows = shape[0]!, columns = shape.length === 2 ? shape[1]! : 1;
  if (rows === 0 || columns === 0) throw new ShapeError(`onecold: empty batch: y has size ${sizeStr(shape)}, so there is no largest entry to pick`);
  const classes = labels ?? (Array.from({ length: rows }, (_, i) => i + 1) as L[]);
  if (classes.length !== rows) throw new ShapeError(`onecold: ${classes.length} labels for ${rows} rows of y (size ${sizeStr(shape)})`);
  const values = toFlatArray(array);
  return Array.from({ length: columns }, (_, j) => classes[argmaxColumn(values, rows, j)]!);
}
