/**
 * Functional derivatives: vjp, jvp, gradients and Hessian-vector products of a function of tensors.
 * Called while tracing, they add their nodes to the graph being traced (so an outer derivative sees
 * through them: second order); called on concrete arrays they trace, compile (cached) and run.
 */
import { Tensor, type TensorLike } from "../tensor";
import { GraphError, ShapeError } from "../errors";
import { currentTrace, type Trace } from "../ir/trace-context";
import { resultTensors } from "../trace";
import { programFor, traceArrays, bindTraceArrays, traceForProgram } from "../exec/program";
import { copy, onesLike, zerosLike, full } from "../api/creation";
import { asInput } from "../api/coerce";
import { numel, shapeStr } from "../shape";
import { emitVjp } from "./vjp";
import { emitJvp } from "./jvp";
import { pruneNew } from "../ir/prune";
import { checkpoint } from "../ir/new-nodes";
import { wrapColMajor } from "../ndarray-util";
import { arrayConstructor, isFloat } from "../dtype";
import { recordAllocation } from "../exec/allocations";

type TensorFn = (...xs: Tensor[]) => Tensor;

function traceOf(xs: readonly TensorLike[]): Trace | undefined {
  return currentTrace() ?? xs.map((x) => (x instanceof Tensor ? x.trace : undefined)).find((t) => t !== undefined);
}

/** Fresh values standing for the primals inside this derivative (so f(x, x) gets two gradients). */
function freshPrimals(xs: readonly TensorLike[]): Tensor[] {
  return xs.map((x, i) => copy(typeof x === "number" ? full(x, [], "f64") : asInput("vjp", `x${i + 1}`, x)));
}

function requireTensor(what: string, y: unknown): Tensor {
  if (!(y instanceof Tensor)) throw new GraphError(`${what}: the function must return a Tensor, got ${typeof y}`);
  return y;
}

function vjpInline(trace: Trace, f: TensorFn, primals: readonly TensorLike[], cotangent: TensorLike | undefined) {
  const from = trace.graph.nodes.length;
  const xs = freshPrimals(primals);
  const wrt = xs.map((x) => x.value); // before f runs: f may mutate its arguments
  const y = requireTensor("vjp", f(...xs));
  if (cotangent === undefined && numel(y.shape) !== 1) {
    throw new ShapeError(`gradient: the function must return a scalar, got shape ${shapeStr(y.shape)}; use vjp with a cotangent`);
  }
  const seed = cotangent === undefined ? onesLike(y) : asInput("vjp", "cotangent", cotangent);
  const grads = emitVjp(trace, y.value, wrt, seed instanceof Tensor ? seed : copy(seed), from);
  return { value: y, grads: grads.map((g, i) => g ?? zerosLike(xs[i]!)) };
}

function jvpInline(trace: Trace, f: TensorFn, primals: readonly TensorLike[], tangents: readonly TensorLike[]) {
  const from = trace.graph.nodes.length;
  const xs = freshPrimals(primals);
  const ts = freshPrimals(tangents);
  const seeds = new Map(xs.flatMap((x, i) => (isFloat(x.dtype) ? [[x.value, ts[i]!] as const] : [])));
  const y = requireTensor("jvp", f(...xs));
  const start = checkpoint(trace.graph);
  const t = emitJvp(trace, seeds, from).get(y.value) ?? zerosLike(y);
  pruneNew(trace.graph, start, [t.value]);
  return { value: y, tangent: t };
}

/** Runs `body` on concrete arguments through a cached compiled program; returns concrete tensors. */
function runCompiled(tag: string, args: readonly TensorLike[], body: (...xs: Tensor[]) => Tensor[]): Tensor[] {
  const call = traceForProgram(body as (...a: never[]) => unknown, args, tag);
  const arrays = traceArrays(call);
  const program = programFor(call, tag, () => ({ outputs: resultTensors(call.result).map((t) => t.value) }));
  const plan = program.plan;
  try {
    bindTraceArrays(program, arrays);
    plan.execute();
    return plan.outputs.map((v) => {
      const slot = plan.slot(v);
      const data = new (arrayConstructor(v.dtype))(numel(v.shape));
      recordAllocation(data.byteLength);
      data.set(slot.data.subarray(slot.offset, slot.offset + data.length));
      return Tensor.concrete(wrapColMajor(data, v.shape));
    });
  } finally {
    plan.release();
  }
}

/** f(xs...) and the cotangent of each x for output cotangent `cotangent` (default 1 for a scalar output). */
export function vjp(f: TensorFn, primals: readonly TensorLike[], cotangent?: TensorLike): { value: Tensor; grads: Tensor[] } {
  const trace = traceOf(cotangent === undefined ? primals : [...primals, cotangent]);
  if (trace) return vjpInline(trace, f, primals, cotangent);
  const n = primals.length;
  const args = cotangent === undefined ? primals : [...primals, cotangent];
  const [value, ...grads] = runCompiled(`vjp${n}`, args, (...xs) => {
    const r = vjpInline(currentTrace()!, f, xs.slice(0, n), cotangent === undefined ? undefined : xs[n]);
    return [r.value, ...r.grads];
  });
  return { value: value!, grads };
}

/** f(xs...) and its directional derivative along `tangents` (forward mode). */
export function jvp(f: TensorFn, primals: readonly TensorLike[], tangents: readonly TensorLike[]): { value: Tensor; tangent: Tensor } {
  if (tangents.length !== primals.length) throw new GraphError(`jvp: ${primals.length} primals but ${tangents.length} tangents`);
  const trace = traceOf([...primals, ...tangents]);
  if (trace) return jvpInline(trace, f, primals, tangents);
  const n = primals.length;
  const [value, tangent] = runCompiled(`jvp${n}`, [...primals, ...tangents], (...xs) => {
    const r = jvpInline(currentTrace()!, f, xs.slice(0, n), xs.slice(n));
    return [r.value, r.tangent];
  });
  return { value: value!, tangent: tangent! };
}

/** The value of a scalar function and its gradient with respect to each argument. */
export function valueAndGrad(f: TensorFn, ...primals: TensorLike[]): { value: Tensor; grads: Tensor[] } {
  return vjp(f, primals);
}

/** Hessian-vector products of a scalar function: forward mode over reverse mode. Returns H·v for each x. */
export function hvp(f: TensorFn, primals: readonly TensorLike[], directions: readonly TensorLike[]): Tensor[] {
  const n = primals.length;
  const inline = (trace: Trace, xs: readonly TensorLike[], vs: readonly TensorLike[]): Tensor[] => {
    const from = trace.graph.nodes.length;
    const ps = freshPrimals(xs);
    const ts = freshPrimals(vs);
    const seeds = new Map(ps.map((p, i) => [p.value, ts[i]!] as const));
    const { grads } = vjpInline(trace, f, ps, undefined);
    const start = checkpoint(trace.graph);
    const tangents = emitJvp(trace, seeds, from);
    const hv = grads.map((g, i) => tangents.get(g.value) ?? zerosLike(ps[i]!));
    pruneNew(trace.graph, start, hv.map((h) => h.value));
    return hv;
  };
  const trace = traceOf([...primals, ...directions]);
  if (trace) return inline(trace, primals, directions);
  return runCompiled(`hvp${n}`, [...primals, ...directions], (...xs) => inline(currentTrace()!, xs.slice(0, n), xs.slice(n)));
}
