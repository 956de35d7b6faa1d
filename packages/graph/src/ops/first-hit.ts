/**
 * firstHit: a Bool mask that keeps only the first true of each slice along the given axes (in
 * column-major order, Julia's linear order). The derivative of maximum/minimum uses it to send the
 * gradient to the first extremum, as Julia's `findmax` picks it.
 */
import { DTypeError, ShapeError } from "../errors";
import { juliaName } from "../dtype";
import { colMajorStrides, numel, shapeStr } from "../shape";
import { tupleStr } from "../ir/print";
import { typeStr } from "./validate";
import type { OpDef } from "./types";
import type { ValueType } from "../ir/graph";
import type { FirstHitAttrs } from "./attrs";
export type { FirstHitAttrs } from "./attrs";

function firstHitType([x]: readonly ValueType[], { axes }: FirstHitAttrs): ValueType {
  if (x!.dtype !== "bool") throw new DTypeError(`firstHit: expected a Bool array, got ${juliaName(x!.dtype)} ${typeStr(x!)}`);
  for (const a of axes) if (!Number.isInteger(a) || a < 0 || a >= x!.shape.length) throw new ShapeError(`firstHit: axis ${a} out of range for shape ${shapeStr(x!.shape)}`);
  return x!;
}

export const firstHitOp: OpDef<FirstHitAttrs> = {
  name: "firstHit", arity: 1, infer: firstHitType, flops: () => 0,
  kernel: ({ attrs: { axes }, inputs: [x] }) => {
    const shape = x!.shape, n = numel(shape);
    // the slice (group) of each element: its coordinates along the kept axes
    const kept = shape.map((d, i) => (axes.includes(i) ? 1 : d));
    const groupStrides = colMajorStrides(kept).map((s, i) => (axes.includes(i) ? 0 : s));
    const seen = new Uint8Array(numel(kept)), coord = new Array<number>(shape.length);
    return (out, [xs]) => {
      seen.fill(0);
      coord.fill(0);
      for (let i = 0; i < n; i++) {
        let g = 0;
        for (let d = 0; d < shape.length; d++) g += coord[d]! * groupStrides[d]!;
        const hit = xs!.data[xs!.offset + i]! !== 0 && seen[g] === 0;
        out.data[out.offset + i] = hit ? 1 : 0;
        if (hit) seen[g] = 1;
        for (let d = 0; d < shape.length && ++coord[d]! === shape[d]; d++) coord[d] = 0;
      }
    };
  },
  printAttrs: ({ axes }) => `dims=${tupleStr(axes.map((a) => a + 1))}`,
  // a Bool output has no tangent
  jvp: () => null,
  // and sends no cotangent
  vjp: () => [null],
};
