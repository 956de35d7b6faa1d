/** Import rules of the elementwise ONNX ops; shape arithmetic on host tensors stays on the host. */
import {
  abs, add, astype, div, equal, exp, greater, greaterEqual, less, lessEqual, log, max, min, mul, neg, pow, relu, sigmoid, sign,
  softplus, sqrt, sub, tanh, where as select, type Tensor, type TensorLike,
  wrapColMajor, hardswish,
} from "@tsflux/graph";
import { shiftIndices } from "./index-shift";
import { elu, leakyrelu } from "@tsflux/layers";
import { attr, tensorOf, type ImportRule, type Operand } from "./context";
import { host, isHost, type HostTensor } from "./host";
import { OnnxError } from "../errors";

type Unary = (x: TensorLike) => Tensor;
type Binary = (a: TensorLike, b: TensorLike) => Tensor;

const unary = (f: Unary): ImportRule => ([x], _a, n) => f(tensorOf(x, n));

/** Numpy broadcasting of two host tensors, elementwise. */
function hostBinary(a: HostTensor, b: HostTensor, f: (x: number, y: number) => number): HostTensor {
  const rank = Math.max(a.dims.length, b.dims.length);
  const pad = (d: readonly number[]) => [...Array<number>(rank - d.length).fill(1), ...d];
  const da = pad(a.dims), db = pad(b.dims), dims = da.map((d, i) => Math.max(d, db[i]!));
  const total = dims.reduce((x, y) => x * y, 1);
  const at = (t: HostTensor, d: number[], flat: number) => {
    let off = 0, rest = flat, stride = 1;
    const idx = dims.map(() => 0);
    for (let i = rank - 1; i >= 0; i--) { idx[i] = rest % dims[i]!; rest = Math.floor(rest / dims[i]!); }
    for (let i = rank - 1; i >= 0; i--) { off += (d[i] === 1 ? 0 : idx[i]!) * stride; stride *= d[i]!; }
    return Number(t.data[off]);
  };
  return host(dims, Array.from({ length: total }, (_, i) => f(at(a, da, i), at(b, db, i))), a.dataType);
}

const binary = (f: Binary, onHost?: (x: number, y: number) => number): ImportRule => ([a, b], _attrs, n) => {
  if (isHost(a) && isHost(b)) {
    if (!onHost) throw new OnnxError(`fromOnnx: ${n.opType} node '${n.name}' on constant tensors is not supported`);
    return hostBinary(a, b, onHost);
  }
  // Int32 data plus or minus a constant (1-based indices made 0-based) is kept as the data and its offset
  if (n.opType === "Add" || n.opType === "Sub") {
    const shifted = shiftIndices(a, b, n.opType === "Sub" ? -1 : 1);
    if (shifted) return shifted;
  }
  return f(tensorOf(a, n, b), tensorOf(b, n, a));
};

/** Variadic Max/Min/Sum fold pairwise. */
const variadic = (f: Binary): ImportRule => (xs, _a, n) => {
  const ts = xs.filter((x): x is Operand => x !== undefined).map((x) => tensorOf(x, n, xs.find((y) => y && !isHost(y))));
  return ts.slice(1).reduce<Tensor | TensorLike>((acc, t) => f(acc, t), ts[0]!) as Tensor;
};

export const elementwiseImports: Record<string, ImportRule> = {
  Relu: unary(relu), Sigmoid: unary(sigmoid), Tanh: unary(tanh), Exp: unary(exp), Log: unary(log), Sqrt: unary(sqrt),
  Neg: unary(neg), Abs: unary(abs), Sign: unary(sign), Softplus: unary(softplus), HardSwish: unary(hardswish),
  LeakyRelu: ([x], a, n) => leakyrelu(tensorOf(x, n), attr(a, "alpha", 0.01)),
  Elu: ([x], a, n) => elu(tensorOf(x, n), attr(a, "alpha", 1)),
  Add: binary(add, (x, y) => x + y),
  Sub: binary(sub, (x, y) => x - y),
  Mul: binary(mul, (x, y) => x * y),
  Div: binary(div, (x, y) => Math.trunc(x / y)),
  Pow: binary(pow),
  Max: variadic(max), Min: variadic(min), Sum: variadic(add),
  Less: binary(less), LessOrEqual: binary(lessEqual), Greater: binary(greater), GreaterOrEqual: binary(greaterEqual), Equal: binary(equal),
  // not(b) for a Bool tensor: b == 0
  Not: ([x], _a, n) => equal(astype(tensorOf(x, n), "f32"), 0),
  // a constant condition (a mask) stays Bool: the same bytes, the dims reversed
  Where: ([c, a, b], _attrs, n) => select(isHost(c) ? wrapColMajor(Uint8Array.from(c.data, Number), [...c.dims].reverse()) : tensorOf(c, n), tensorOf(a, n, b), tensorOf(b, n, a)),
};
