/**
 * Arguments shared by the convolution and pooling layers (Flux's conv.jl): per-dim settings from a
 * number or a list, NNlib's padding forms including `SamePad()`, and Flux's printing of them.
 */
import { ShapeError, perDim, perSide, type PerDim } from "@tsflux/graph";
import { callable } from "../callable";
import { showCompact } from "../show/protocol";

class SamePadValue {
  [showCompact](): string {
    return "SamePad()";
  }
  toString(): string {
    return "SamePad()";
  }
}

/** Padding that keeps the output size `ceil(input / stride)` (Flux's `SamePad()`); the odd extra element goes low. */
export const SamePad = callable(SamePadValue, "SamePad");
export type SamePad = SamePadValue;

/** A padding setting: a number, one per spatial dim, two per dim (`[lo1, hi1, ...]`), or SamePad(). */
export type Padding = PerDim | SamePad;

/**
 * NNlib's calc_padding: SamePad gives `total = (k-1)*d`, low `ceil(total/2)`, high `floor(total/2)`
 * per dim; other forms are kept as given (a number is expanded to two per dim).
 */
export function calcPadding(layer: string, pad: Padding, kernel: readonly number[], dilation: readonly number[]): number[] {
  if (pad instanceof SamePadValue) {
    return kernel.flatMap((k, i) => {
      const total = (k - 1) * dilation[i]!;
      return [Math.ceil(total / 2), Math.floor(total / 2)];
    });
  }
  if (typeof pad === "number") return perSide(layer, pad, kernel.length);
  perSide(layer, pad, kernel.length);
  return [...pad];
}

/** The stored padding as two per dim, for the graph ops. */
export const sidesOf = (layer: string, pad: readonly number[], nsp: number): number[] => perSide(layer, pad, nsp);

/** One positive integer per spatial dim. */
export function positivePerDim(layer: string, name: string, v: PerDim, nsp: number): number[] {
  const out = perDim(layer, name, v, nsp);
  if (out.some((x) => !Number.isInteger(x) || x < 1)) throw new ShapeError(`${layer}: ${name} (${out.join(", ")}) must be positive integers`);
  return out;
}

/** A Julia tuple: `(5, 5)`, `(3,)`. */
export const tupleString = (xs: readonly number[]): string => `(${xs.join(", ")}${xs.length === 1 ? "," : ""})`;

/** Flux's `_maybetuple_string`: one value when all entries are equal, else the tuple. */
export const maybeTuple = (xs: readonly number[]): string => (xs.every((x) => x === xs[0]) ? `${xs[0]}` : tupleString(xs));

/** Flux's `_print_conv_opt`: `, pad=P`, `, stride=S`, `, dilation=D`, `, groups=G`, `, bias=false`, each only when not the default. */
export function convOptionsString(o: { pad: readonly number[]; stride: readonly number[]; dilation: readonly number[]; groups?: number; bias: unknown }): string {
  let s = "";
  if (o.pad.some((p) => p !== 0)) s += `, pad=${maybeTuple(o.pad)}`;
  if (o.stride.some((x) => x !== 1)) s += `, stride=${maybeTuple(o.stride)}`;
  if (o.dilation.some((x) => x !== 1)) s += `, dilation=${maybeTuple(o.dilation)}`;
  if (o.groups !== undefined && o.groups !== 1) s += `, groups=${o.groups}`;
  if (o.bias === false) s += ", bias=false";
  return s;
}
