/** Checks of op inputs' types that op blocks and the builder share; errors name the op and the argument. */
import { DTypeError } from "../errors";
import { isFloat, juliaName } from "../dtype";
import { shapeStr } from "../shape";
import type { ValueType } from "../ir/graph";

/** A type as printed in error messages: `f32(2,3)`. */
export function typeStr(t: ValueType): string {
  return `${t.dtype}${shapeStr(t.shape).replace(/ /g, "")}`;
}

/** Requires a float dtype (integer and boolean arrays are data, never differentiated). */
export function requireFloatType(op: string, name: string, t: ValueType): void {
  if (!isFloat(t.dtype)) {
    throw new DTypeError(`${op}: argument ${name} must be a Float32 or Float64 array, got ${juliaName(t.dtype)} array of shape ${shapeStr(t.shape)}; convert it with astype(x, "f32")`);
  }
}

/** Requires equal float dtypes: tsflux never promotes Float32 to Float64 silently. */
export function requireSameFloat(op: string, names: readonly string[], types: readonly ValueType[]): void {
  types.forEach((t, i) => requireFloatType(op, names[i]!, t));
  const d0 = types[0]!.dtype;
  types.forEach((t, i) => {
    if (t.dtype !== d0) {
      throw new DTypeError(`${op}: ${juliaName(d0)} mixed with ${juliaName(t.dtype)}: ${names[0]} is ${typeStr(types[0]!)}, ${names[i]} is ${typeStr(t)}; convert one with astype`);
    }
  });
}
