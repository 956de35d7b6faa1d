/** Small formatting rules of Julia and Flux: digit grouping, array summaries, number spelling (byte sizes: graph's formatBytes). */
import { Tensor, type NdArray } from "@tsflux/graph";
import { dtypeName } from "../arrays";

/** Groups digits in threes with `_`, as Flux's `underscorise`: 25450 -> "25_450". */
export function underscorise(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, "_");
}

/** How Julia prints a number in a layer's one-line form: `0.5`, `1`, `Inf`, `NaN`. */
export function juliaNumber(x: number): string {
  if (Number.isNaN(x)) return "NaN";
  if (x === Infinity) return "Inf";
  if (x === -Infinity) return "-Inf";
  return String(x);
}

/** Julia's `dims2string`: "0-dimensional", "3-element", "4×3". */
function dimsString(shape: readonly number[]): string {
  if (shape.length === 0) return "0-dimensional";
  if (shape.length === 1) return `${shape[0]}-element`;
  return shape.join("×");
}

/** An array named as Flux's big show names a bare array child: "3-element Vector{Float32}", "2×3×4 Array{Float32,...}". */
export function arraySummary(x: NdArray | Tensor): string {
  const shape = x.shape, element = dtypeName(x instanceof Tensor ? x.dtype : x);
  const type = shape.length === 1 ? `Vector{${element}}` : shape.length === 2 ? `Matrix{${element}}` : `Array{${element},...}`;
  const symbolic = x instanceof Tensor && x.isSymbolic ? " (symbolic)" : "";
  return `${dimsString(shape)} ${type}${symbolic}`;
}
