/**
 * Import rules of the shape and data-movement ops. Shape computations (Shape, Gather, Concat, ... on
 * integer tensors) run on the host at trace time; on float tensors the ops become tsflux reshapes,
 * permutes, broadcasts, slices and concatenations of the reversed shapes.
 */
import { astype, broadcastTo, concat, full, getindex, permutedims, reshape, type Index, type Tensor } from "@tsflux/graph";
import { onnx } from "../proto";
import { OnnxError } from "../errors";
import { attr, hostValues, normAxis, onnxDims, tensorOf, where, type ImportRule, type NodeInfo, type Operand } from "./context";
import { decodeTensor, host, isFloatType, isHost, toArray, type HostTensor } from "./host";

const DataType = onnx.TensorProto.DataType;
const product = (d: readonly number[]) => d.reduce((a, b) => a * b, 1);

/** A float tensor reshaped to ONNX dims `dims`. */
const reshapeOnnx = (x: Tensor | import("@tsflux/graph").NdArray, dims: readonly number[]) => reshape(x, [...dims].reverse());

/** Reshape's target with 0 (copy the dim, unless allowzero) and -1 (inferred) resolved. */
function reshapeTarget(from: readonly number[], shape: readonly number[], allowZero: boolean, n: NodeInfo): number[] {
  const dims = shape.map((d, i) => (d === 0 && !allowZero ? from[i]! : d));
  const known = product(dims.filter((d) => d !== -1));
  const total = product(from);
  const out = dims.map((d) => (d === -1 ? total / known : d));
  if (product(out) !== total || out.some((d) => !Number.isInteger(d))) {
    throw new OnnxError(`${where(n)}: cannot reshape dims [${from.join(", ")}] to [${shape.join(", ")}]`);
  }
  return out;
}

/** Values of a row-major host tensor selected along one axis. */
function hostGather(x: HostTensor, indices: HostTensor, axis: number): HostTensor {
  const outer = product(x.dims.slice(0, axis)), inner = product(x.dims.slice(axis + 1)), len = x.dims[axis]!;
  const data: number[] = [];
  for (let o = 0; o < outer; o++) {
    for (const raw of indices.data) {
      const i = Number(raw) < 0 ? Number(raw) + len : Number(raw);
      for (let k = 0; k < inner; k++) data.push(Number(x.data[(o * len + i) * inner + k]));
    }
  }
  return host([...x.dims.slice(0, axis), ...indices.dims, ...x.dims.slice(axis + 1)], data, x.dataType);
}

/** Axes of Squeeze/Unsqueeze: an attribute before opset 13, an input from 13. */
const axesInput = (inputs: readonly (Operand | undefined)[], attrs: ReadonlyMap<string, unknown>, n: NodeInfo): number[] | undefined =>
  attrs.has("axes") ? (attrs.get("axes") as number[]) : inputs[1] === undefined ? undefined : hostValues(inputs[1], n, "axes");

function unsqueezedDims(dims: readonly number[], axes: readonly number[], n: NodeInfo): number[] {
  const rank = dims.length + axes.length, norm = axes.map((a) => normAxis(a, rank, n));
  const out: number[] = [];
  for (let i = 0, j = 0; i < rank; i++) out.push(norm.includes(i) ? 1 : dims[j++]!);
  return out;
}

/** A value with new ONNX dims: host tensors keep their data, float tensors are reshaped. */
const withDims = (x: Operand, dims: number[], n: NodeInfo): Operand => (isHost(x) ? { ...x, dims } : reshapeOnnx(tensorOf(x, n), dims));

export const shapeImports: Record<string, ImportRule> = {
  Identity: ([x]) => x!,
  // inference semantics: Dropout passes its input through (a Chain import uses a Dropout layer instead)
  Dropout: ([x]) => x!,
  Constant: (_inputs, attrs, n) => {
    const t = attrs.get("value") as onnx.ITensorProto | undefined;
    if (t) return fromConstant(decodeTensor(t, where(n)));
    if (attrs.has("value_ints")) return host([(attrs.get("value_ints") as number[]).length], attrs.get("value_ints") as number[]);
    if (attrs.has("value_int")) return host([], [attrs.get("value_int") as number]);
    if (attrs.has("value_float")) return toArray(host([], [attrs.get("value_float") as number], DataType.FLOAT));
    throw new OnnxError(`${where(n)}: only tensor, int and float constants are supported`);
  },
  Shape: ([x], attrs, n) => {
    const dims = onnxDims(x ?? missing(n)), r = dims.length;
    const clamp = (a: number) => Math.min(Math.max(a < 0 ? a + r : a, 0), r);
    const part = dims.slice(clamp(attr(attrs, "start", 0)), clamp(attr(attrs, "end", r)));
    return host([part.length], part);
  },
  Gather: ([x, i], attrs, n) => {
    if (!isHost(x) || !isHost(i)) throw new OnnxError(`${where(n)}: Gather is supported on shapes and constants only (an embedding lookup needs an Embedding layer)`);
    return hostGather(x, i, normAxis(attr(attrs, "axis", 0), x.dims.length, n));
  },
  Unsqueeze: (inputs, attrs, n) => {
    const x = inputs[0] ?? missing(n);
    return withDims(x, unsqueezedDims(onnxDims(x), axesInput(inputs, attrs, n) ?? [], n), n);
  },
  Squeeze: (inputs, attrs, n) => {
    const x = inputs[0] ?? missing(n), dims = onnxDims(x);
    const axes = (axesInput(inputs, attrs, n) ?? dims.flatMap((d, i) => (d === 1 ? [i] : []))).map((a) => normAxis(a, dims.length, n));
    return withDims(x, dims.filter((_, i) => !axes.includes(i)), n);
  },
  Concat: (inputs, attrs, n) => {
    const xs = inputs.filter((x): x is Operand => x !== undefined);
    const rank = onnxDims(xs[0]!).length, axis = normAxis(attr(attrs, "axis", 0), rank, n);
    if (xs.every(isHost) && axis === 0 && rank === 1) return host([xs.reduce((s, x) => s + x.dims[0]!, 0)], xs.flatMap((x) => Array.from(x.data).map(Number)), xs[0]!.dataType);
    const like = xs.find((x) => !isHost(x));
    return concat(xs.map((x) => tensorOf(x, n, like)), { dims: rank - axis });
  },
  Reshape: ([x, s], attrs, n) => {
    const from = onnxDims(x ?? missing(n));
    return withDims(x!, reshapeTarget(from, hostValues(s, n, "shape"), attr(attrs, "allowzero", 0) === 1, n), n);
  },
  Flatten: ([x], attrs, n) => {
    const dims = onnxDims(x ?? missing(n)), axis = normAxis(attr(attrs, "axis", 1), dims.length + 1, n);
    return withDims(x!, [product(dims.slice(0, axis)), product(dims.slice(axis))], n);
  },
  Transpose: ([x], attrs, n) => {
    const t = tensorOf(x, n), r = t.shape.length;
    const perm = attr(attrs, "perm", [...Array(r).keys()].reverse());
    // ONNX output axis j reads input axis perm[j]; mirrored: tsflux output dim i reads dim r-1-perm[r-1-i]
    return permutedims(t, perm.map((_, i) => r - perm[r - 1 - i]!));
  },
  Expand: ([x, s], _attrs, n) => {
    const t = tensorOf(x, n), target = hostValues(s, n, "shape"), dims = onnxDims(t);
    const rank = Math.max(dims.length, target.length);
    const pad = (d: readonly number[]) => [...Array<number>(rank - d.length).fill(1), ...d];
    const out = pad(dims).map((d, i) => Math.max(d, pad(target)[i]!));
    return broadcastTo(t, out.reverse());
  },
  Cast: ([x], attrs, n) => {
    const to = attr(attrs, "to", DataType.FLOAT);
    if (isHost(x)) return isFloatType(to) ? toArray(x, to === DataType.DOUBLE ? "f64" : "f32") : { ...x, dataType: to };
    if (!isFloatType(to)) throw new OnnxError(`${where(n)}: casting a tensor to ${DataType[to]} is not supported; tsflux computes in FLOAT or DOUBLE`);
    return astype(tensorOf(x, n), to === DataType.DOUBLE ? "f64" : "f32");
  },
  ConstantOfShape: ([s], attrs, n) => {
    const dims = hostValues(s, n, "shape");
    const value = attrs.has("value") ? decodeTensor(attrs.get("value") as onnx.ITensorProto, where(n)) : host([1], [0], DataType.FLOAT);
    if (!isFloatType(value.dataType)) return host(dims, Array<number>(product(dims)).fill(Number(value.data[0])), value.dataType);
    return full(Number(value.data[0]), [...dims].reverse(), value.dataType === DataType.DOUBLE ? "f64" : "f32");
  },
  Slice: ([x, starts, ends, axes, steps], _attrs, n) => {
    const s = hostValues(starts, n, "starts"), e = hostValues(ends, n, "ends");
    if (isHost(x) && x.dims.length === 1) {
      const d = x.dims[0]!, clamp = (v: number) => Math.min(Math.max(v < 0 ? v + d : v, 0), d);
      const step = steps === undefined ? 1 : hostValues(steps, n, "steps")[0]!;
      const picked = Array.from(x.data).map(Number).filter((_, i) => i >= clamp(s[0]!) && i < clamp(e[0]!) && (i - clamp(s[0]!)) % step === 0);
      return host([picked.length], picked, x.dataType);
    }
    const t = tensorOf(x, n), dims = onnxDims(t), r = dims.length;
    const ax = axes === undefined ? s.map((_, i) => i) : hostValues(axes, n, "axes").map((a) => normAxis(a, r, n));
    const st = steps === undefined ? s.map(() => 1) : hostValues(steps, n, "steps");
    const index: Index[] = dims.map(() => ":");
    ax.forEach((a, i) => {
      if (st[i]! < 1) throw new OnnxError(`${where(n)}: negative or zero steps are not supported`);
      const d = dims[a]!, clamp = (v: number) => Math.min(Math.max(v < 0 ? v + d : v, 0), d);
      // tsflux ranges are 1-based and inclusive
      const first = clamp(s[i]!), last = clamp(e[i]!);
      index[r - 1 - a] = { start: first + 1, stop: last, step: st[i]! };
    });
    return getindex(t, ...index);
  },
};

function missing(n: NodeInfo): never {
  throw new OnnxError(`${where(n)}: a required input is missing`);
}

/** A constant: float data becomes a tsflux array, integer data stays on the host. */
export function fromConstant(t: HostTensor): Operand {
  return isFloatType(t.dataType) ? toArray(t) : t;
}
