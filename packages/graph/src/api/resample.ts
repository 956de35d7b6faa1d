/**
 * Resampling of WHCN data built from reshape, broadcast, permute, unslice and matmul, so their derivatives
 * are those ops' own (NNlib's pad_zeros, upsample_nearest, upsample_linear, pixel_shuffle).
 */
import type { Tensor, TensorLike } from "../tensor";
import { ShapeError } from "../errors";
import { shapeStr } from "../shape";
import { wrapColMajor } from "../ndarray-util";
import { allocData } from "../memory";
import type { FloatDType } from "../dtype";
import { asInput, typeOf } from "./coerce";
import type { OpInput } from "../ops/apply";
import { broadcastTo, permutedims, reshape, unslice } from "./movement";
import { matmul } from "./linalg";
import { perDim, perSide, type PerDim } from "./conv";

const shapeOf = (op: string, x: TensorLike) => typeOf(op, asInput(op, "x", x));

/** Zero padding of the spatial dims (all but the last two): `pad` as for conv (one, per dim, or per side). */
export function padZeros(x: TensorLike, pad: PerDim): Tensor {
  const { shape } = shapeOf("padZeros", x), nsp = shape.length - 2;
  const sides = perSide("padZeros", pad, nsp);
  if (sides.some((p) => !Number.isInteger(p) || p < 0)) throw new ShapeError(`padZeros: padding (${sides.join(", ")}) must be non-negative integers`);
  const big = shape.map((d, i) => (i < nsp ? d + sides[2 * i]! + sides[2 * i + 1]! : d));
  return unslice(asInput("padZeros", "x", x), big, shape.map((_, i) => (i < nsp ? sides[2 * i]! : 0)), shape.map(() => 1));
}

/** Nearest-neighbour upsampling: each pixel repeated `scale` times along each spatial dim. */
export function upsampleNearest(x: TensorLike, scale: PerDim): Tensor {
  const { shape } = shapeOf("upsampleNearest", x), nsp = shape.length - 2;
  const s = perDim("upsampleNearest", "scale", scale, nsp);
  if (s.some((v) => !Number.isInteger(v) || v < 1)) throw new ShapeError(`upsampleNearest: scale (${s.join(", ")}) must be positive integers`);
  const spread = shape.flatMap((d, i) => (i < nsp ? [1, d] : [d]));
  const target = shape.flatMap((d, i) => (i < nsp ? [s[i]!, d] : [d]));
  return reshape(broadcastTo(reshape(asInput("upsampleNearest", "x", x), spread), target), shape.map((d, i) => (i < nsp ? d * s[i]! : d)));
}

/** The [out, in] linear interpolation matrix of NNlib's upsample_linear along one dim. */
function interpolationMatrix(n: number, out: number, alignCorners: boolean, dtype: FloatDType) {
  const a = allocData(dtype, out * n);
  const ratio = alignCorners ? (out > 1 ? (n - 1) / (out - 1) : 0) : n / out;
  for (let o = 0; o < out; o++) {
    const real = alignCorners ? ratio * o : Math.max(0, ratio * (o + 0.5) - 0.5);
    const i0 = Math.floor(real), i1 = i0 + (i0 < n - 1 ? 1 : 0), l1 = real - i0;
    a[o + out * i0]! += 1 - l1;
    a[o + out * i1]! += l1;
  }
  return wrapColMajor(a, [out, n]);
}

/** Options of linear upsampling: exactly one of `scale` (output floor(scale * size)) and `size`. */
export interface UpsampleLinearOptions {
  scale?: PerDim;
  size?: readonly number[];
  /** NNlib's default (and Flux's Upsample) is true. */
  alignCorners?: boolean;
}

/** (Bi/tri)linear upsampling of every spatial dim (NNlib's upsample_linear/bilinear/trilinear). */
export function upsampleLinear(x: TensorLike, opts: UpsampleLinearOptions): Tensor {
  const xi = asInput("upsampleLinear", "x", x);
  const { shape, dtype } = typeOf("upsampleLinear", xi), nsp = shape.length - 2;
  if ((opts.scale === undefined) === (opts.size === undefined)) throw new ShapeError("upsampleLinear: give exactly one of scale and size");
  const size = opts.size ? perDim("upsampleLinear", "size", opts.size, nsp)
    : perDim("upsampleLinear", "scale", opts.scale!, nsp).map((s, i) => Math.floor(s * shape[i]!));
  let y: OpInput = xi;
  let cur = [...shape];
  for (let i = 0; i < nsp; i++) {
    if (size[i] === cur[i]) continue;
    const A = interpolationMatrix(cur[i]!, size[i]!, opts.alignCorners ?? true, dtype as FloatDType);
    const perm = [i + 1, ...cur.map((_, j) => j + 1).filter((j) => j !== i + 1)];
    const front = i === 0 ? y : permutedims(y, perm);
    const moved = perm.map((p) => cur[p - 1]!);
    const z = reshape(matmul(A, reshape(front, [moved[0]!, -1])), [size[i]!, ...moved.slice(1)]);
    const inv = perm.map((_, j) => perm.indexOf(j + 1) + 1);
    y = i === 0 ? z : permutedims(z, inv);
    cur = cur.map((d, j) => (j === i ? size[i]! : d));
  }
  return reshape(y, cur);
}

/** NNlib's pixel_shuffle: `[W, H, r^d C, N]` to `[rW, rH, C, N]`, y[(w-1)r+i, (h-1)r+j, c] = x[w, h, i + r(j-1) + r²(c-1)]. */
export function pixelShuffle(x: TensorLike, r: number): Tensor {
  const { shape } = shapeOf("pixelShuffle", x), d = shape.length - 2;
  const cin = shape[d]!, n = shape[d + 1]!, rd = r ** d;
  if (d < 1 || !Number.isInteger(r) || r < 1 || cin % rd !== 0) {
    throw new ShapeError(`pixelShuffle: the ${cin} channels of x ${shapeStr(shape)} must be divisible by r^${d} = ${rd}`);
  }
  const sizein = shape.slice(0, d);
  const split = reshape(asInput("pixelShuffle", "x", x), [...sizein, ...new Array<number>(d).fill(r), cin / rd, n]);
  const perm = sizein.flatMap((_, i) => [d + i + 1, i + 1]);
  return reshape(permutedims(split, [...perm, 2 * d + 1, 2 * d + 2]), [...sizein.map((s) => s * r), cin / rd, n]);
}
