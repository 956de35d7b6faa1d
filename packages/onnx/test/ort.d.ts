import { type NdArray } from "@tsflux/graph";
/** ONNX Runtime's outputs for the model's inputs, in order; the column-major data is the row-major data of the reversed shape. */
export declare function runOrt(bytes: Uint8Array, x: NdArray | readonly NdArray[]): Promise<NdArray[]>;
/** The largest |a - b| relative to the largest |b|: how far `a` is from `b` on `b`'s scale. */
export declare function relativeError(a: NdArray, b: NdArray): number;
//# sourceMappingURL=ort.d.ts.map