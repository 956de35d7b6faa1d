/**
 * Enzyme's reverse mode over arguments with shadows. A Duplicated argument's shadow is the adjoint of
 * its memory: the shadow seeds the cotangent of the argument's final version, and afterwards holds the
 * cotangent of its initial version. So an unmutated argument's shadow accumulates its gradient, and
 * an overwritten one's is consumed (set to what flows to the old contents: zero for `assign`).
 * Every call traces the function afresh; the compiled program is found by the trace's structure, the
 * activities and the options, so only a new structure emits adjoints and compiles.
 */
import { Tensor } from "../tensor";
import { ActivityError, ShapeError } from "../errors";
import { withTrace } from "../ir/trace-context";
import type { Buffer, Graph, Value } from "../ir/graph";
import { traceCall, resultTensors, type ArgInput } from "../trace";
import { programFor, traceArrays, bindTraceArrays, traceForProgram, type Program } from "../exec/program";
import { emitVjpSeeded } from "./vjp";
import { onesLike, zerosLike } from "../api/creation";
import { add } from "../api/elementwise";
import { isFloat } from "../dtype";
import type { NdArray } from "../ndarray-util";
import { numel, shapeStr } from "../shape";
import { whileDifferentiating } from "./differentiating";
import { callArguments, concreteResult, isDuplicated, shadowLeaf, shadowArrays, type ShadowedArg } from "./shadow-common";
import type { TracedCall } from "../trace";
import { inputPositions } from "../ir/input-positions";

/** How a reverse-mode call with shadows is differentiated: the seed of the result, what to differentiate, accumulation, the result. */
export interface ShadowedOptions {
  /** Seed the returned scalar with 1 (Enzyme's Active return); otherwise only shadows seed. */
  readonly activeReturn: boolean;
  /** Picks the scalar to differentiate from what the function returns (default: the result itself). */
  readonly loss?: (result: unknown) => unknown;
  /**
   * true (Enzyme, the default): shadows hold cotangents to add to. false: their contents count as zero
   * (Flux's `zero=true` without the pass that zeroes them), so every shadow is overwritten with its
   * gradient, mutated arguments' shadows included.
   */
  readonly accumulate?: boolean;
  /** Return the function's result (copies of its tensors); off by default to avoid allocating. */
  readonly withResult?: boolean;
  /** Runs after the call is traced and checked, just before anything is written (e.g. zeroing shadows). */
  readonly beforeRun?: () => void;
}

/** What a reverse-mode call with shadows returns: the result, the differentiated scalar's value, and the derivatives of Active arguments. */
export interface ShadowedResult {
  /** The function's result with concrete tensors in place of symbolic ones (with `withResult`). */
  readonly result: unknown;
  /** The differentiated scalar's value, when there is one. */
  readonly value: number | undefined;
  /** For each argument: the derivative of an Active argument, null otherwise. */
  readonly activeGrads: (number | null)[];
}

interface Meta {
  readonly resultCount: number;
  readonly lossIndex: number;
  /**
   * Output index of each Duplicated leaf's gradient, the graph input its shadow is bound to, and whether
   * the gradient may be computed straight into the shadow (leaves the function does not mutate).
   */
  readonly shadowOutputs: { output: number; input: number; direct: boolean }[];
  /** For each shadow input: the trace input of the leaf it shadows (its argument index and path come from there). */
  readonly shadowInputs: { input: number; leafInput: number }[];
  /** Scratch: whether each shadow output needs a copy after this run. */
  readonly copies: boolean[];
  readonly activeOutputs: { output: number; argIndex: number }[];
  readonly template: unknown;
}

/** Runs f's reverse pass: accumulates into shadows, returns Active arguments' derivatives. */
export function reverseWithShadows(f: (...args: never[]) => unknown, args: readonly ShadowedArg[], opts: ShadowedOptions): ShadowedResult {
  const { values, shadows } = callArguments(args);
  const extra = `rev:${args.map((a) => a.activity).join(",")}:${opts.activeReturn}:${opts.accumulate ?? true}`;
  const call = whileDifferentiating(() => traceForProgram(f, values, extra));
  const arrays = traceArrays(call);
  const program = programFor(call, extra, () => build(call, args, shadows, opts));
  const plan = program.plan;
  try {
    bindTraceArrays(program, arrays);
    bindShadows(program, call, arrays, shadows);
    return run(program, args, opts);
  } finally {
    plan.release();
  }
}

/** Binds each Duplicated leaf's shadow (checked: same shape and dtype, its own memory). */
function bindShadows(program: Program, call: TracedCall, arrays: readonly (NdArray | undefined)[], shadows: readonly unknown[]): void {
  const meta = program.meta as Meta;
  const lookup = shadowArrays(shadows);
  for (const s of meta.shadowInputs) {
    const leaf = call.trace.inputAt(s.leafInput);
    program.plan.bind(s.input, shadowLeaf(lookup, leaf, arrays[s.leafInput])); // other overlaps: Duplicated checks them
  }
}

function run(program: Program, args: readonly ShadowedArg[], opts: ShadowedOptions): ShadowedResult {
  const meta = program.meta as Meta;
  const plan = program.plan;
  const copies = meta.copies;
  for (let i = 0; i < meta.shadowOutputs.length; i++) {
    const s = meta.shadowOutputs[i]!;
    copies[i] = !(s.direct && plan.bindOutput(s.output, plan.boundArray(s.input)));
  }
  opts.beforeRun?.();
  plan.execute();
  for (let i = 0; i < meta.shadowOutputs.length; i++) {
    const s = meta.shadowOutputs[i]!;
    if (copies[i]) plan.copyOutput(s.output, plan.boundArray(s.input), false);
  }
  const activeGrads = args.map(() => null as number | null);
  for (const a of meta.activeOutputs) activeGrads[a.argIndex] = plan.readScalar(a.output);
  return {
    result: opts.withResult ? concreteResult(meta.template, plan) : undefined,
    value: meta.lossIndex >= 0 ? plan.readScalar(meta.lossIndex) : undefined,
    activeGrads,
  };
}

/** The graph reverseWithShadows compiles for this call (forward and adjoint nodes), for inspection. */
export function reverseGraph(f: (...args: never[]) => unknown, args: readonly ShadowedArg[], opts: ShadowedOptions): Graph {
  const { values, shadows } = callArguments(args);
  const call = whileDifferentiating(() => traceCall(f, values));
  const { outputs } = build(call, args, shadows, opts);
  call.trace.open = false;
  call.trace.graph.outputs = outputs;
  return call.trace.graph;
}

/** Extends the call's trace with shadow inputs and adjoints; returns the outputs to compute and their roles. */
function build(call: TracedCall, args: readonly ShadowedArg[], shadows: readonly unknown[], opts: ShadowedOptions) {
  const n = args.length;
  const trace = call.trace;
  const results = resultTensors(call.result);
  const lossTensor = opts.activeReturn ? scalarLoss(opts.loss ? opts.loss(call.result) : call.result) : undefined;
  const seeds = new Map<Value, Tensor>();
  const wrt: Value[] = [];
  const noKeep = new Set<Buffer>();
  const shadowLeaves: { arg: ArgInput; shadow: Value }[] = [];
  const lookup = shadowArrays(shadows);
  const activeInputs: { argIndex: number; value: Value }[] = [];
  withTrace(trace, () => {
    if (lossTensor) seeds.set(lossTensor.value, onesLike(lossTensor));
    for (const leaf of [...call.argInputs]) {
      const activity = args[leaf.argIndex]!.activity;
      if (activity === "active") activeInputs.push({ argIndex: leaf.argIndex, value: leaf.value });
      if (!isDuplicated(activity) || !isFloat(leaf.value.dtype)) continue;
      const shadowArray = shadowLeaf(lookup, leaf, (a) => trace.knownBuffer(a) !== undefined);
      const shadow = trace.addArgument(shadowArray, n + leaf.argIndex, leaf.path, `d${leaf.argIndex}${leaf.path}`);
      call.argInputs.push({ argIndex: n + leaf.argIndex, path: leaf.path, value: shadow, array: shadowArray });
      const latest = trace.graph.latest(leaf.value.buffer);
      if (opts.accumulate !== false) {
        const seeded = Tensor.pinned(trace, shadow);
        const previous = seeds.get(latest);
        seeds.set(latest, previous ? add(previous, seeded) : seeded);
      }
      if (activity === "duplicatedNoNeed") noKeep.add(leaf.value.buffer);
      shadowLeaves.push({ arg: leaf, shadow });
      wrt.push(leaf.value);
    }
    for (const a of activeInputs) wrt.push(a.value);
  }, true);
  const grads = emitVjpSeeded(trace, seeds, wrt, { noKeep });
  const inputs = inputPositions(trace.graph);
  const outputs: Value[] = [...results.map((r) => r.value)];
  const shadowOutputs = shadowLeaves.map((s, k) => {
    outputs.push(withTrace(trace, () => (grads[k] ?? zerosLike(Tensor.pinned(trace, s.shadow))).value, true));
    const unmutated = trace.graph.latest(s.arg.value.buffer) === s.arg.value;
    return { output: outputs.length - 1, input: inputs.at(s.shadow), direct: unmutated };
  });
  const activeOutputs = activeInputs.map((a, k) => {
    outputs.push(withTrace(trace, () => (grads[shadowLeaves.length + k] ?? zerosLike(Tensor.pinned(trace, a.value))).value, true));
    return { output: outputs.length - 1, argIndex: a.argIndex };
  });
  const meta: Meta = {
    resultCount: results.length,
    lossIndex: lossTensor ? results.indexOf(lossTensor) : -1,
    shadowOutputs,
    copies: shadowOutputs.map(() => true),
    shadowInputs: shadowLeaves.map((s) => ({ input: inputs.at(s.shadow), leafInput: inputs.at(s.arg.value) })),
    activeOutputs,
    template: call.result,
  };
  return { outputs, meta };
}

/** `x` as the scalar Tensor an Active return must be, or an error that says what it got. */
export function scalarLoss(x: unknown): Tensor {
  if (!(x instanceof Tensor)) throw new ActivityError(`an Active return needs the function to return a scalar Tensor, got ${x === undefined ? "nothing" : typeof x}`);
  if (numel(x.shape) !== 1) throw new ShapeError(`an Active return must be a scalar, got an array of shape ${shapeStr(x.shape)}; reduce it (e.g. sum) or use a Const return`);
  return x;
}
