/**
 * The one entry point for running an op: while a trace is open it appends a node to the trace's graph;
 * otherwise it runs the op's kernel at once on concrete arrays (eager mode).
 */
import { Tensor } from "../tensor";
import { GraphError } from "../errors";
import { currentTrace, type Trace } from "../ir/trace-context";
import type { Value, ValueType } from "../ir/graph";
import { dtypeOf, isNdarray, toColMajor, zerosArray, type NdArray } from "../ndarray-util";
import { arrayBytes } from "../shape";
import { opDef } from "./table";
import type { AttrsOf, OpName } from "./attrs";

export type OpInput = Tensor | NdArray;

/** Applies op `name` to tensors or arrays (numbers must already be turned into tensors). */
export function applyOp<K extends OpName>(name: K, inputs: readonly OpInput[], attrs: AttrsOf[K]): Tensor {
  const trace = traceFor(name, inputs);
  if (trace) {
    const values: Value[] = new Array(inputs.length);
    for (let i = 0; i < inputs.length; i++) values[i] = valueIn(trace, inputs[i]!);
    return Tensor.following(trace, trace.addNode(name, values, attrs).buffer);
  }
  const def = opDef(name);
  const arrays = inputs.map((x) => toColMajor(x instanceof Tensor ? x.toNdarray() : x));
  const types: ValueType[] = arrays.map((a) => ({ shape: a.shape, dtype: dtypeOf(name, a) }));
  const type = def.infer(types, attrs);
  arrayBytes(name, type.shape, type.dtype);
  const out = zerosArray(type.shape, type.dtype);
  const kernel = def.kernel({ attrs, inputs: types, output: type });
  kernel({ data: out.data, offset: out.offset }, arrays.map((a) => ({ data: a.data, offset: a.offset })));
  return Tensor.concrete(out);
}

/** The trace an op call belongs to: the open trace, or the one its symbolic inputs come from. */
function traceFor(op: string, inputs: readonly OpInput[]): Trace | undefined {
  let trace = currentTrace();
  for (let i = 0; i < inputs.length; i++) {
    const x = inputs[i]!;
    if (!(x instanceof Tensor) || !x.trace) continue;
    if (!x.trace.open) {
      throw new GraphError(`${op}: ${x.describe()} belongs to a trace that has finished; symbolic tensors cannot be used outside the function being traced`);
    }
    if (trace && trace !== x.trace) {
      throw new GraphError(`${op}: ${x.describe()} belongs to another graph than the one being traced; pass it as an argument instead of capturing it`);
    }
    trace = x.trace;
  }
  return trace;
}

/** The SSA value an input stands for in `trace` (arrays resolve to their argument or captured input). */
export function valueIn(trace: Trace, x: OpInput): Value {
  if (x instanceof Tensor) {
    if (x.trace) return x.value;
    return trace.latest(trace.bufferOf(x.toNdarray()));
  }
  if (isNdarray(x)) return trace.latest(trace.bufferOf(x));
  throw new GraphError(`expected a Tensor or an ndarray, got ${typeof x}`);
}
