/**
 * Enzyme's forward mode over arguments with shadows: a Duplicated argument's shadow is the tangent of
 * its initial contents, and, if the function overwrites it, receives the tangent of its final contents.
 * The result's tangent is returned (for a Duplicated return).
 */
import { Tensor } from "../tensor";
import { withTrace } from "../ir/trace-context";
import type { Buffer, Value } from "../ir/graph";
import { resultTensors } from "../trace";
import { programFor, traceArrays, bindTraceArrays, traceForProgram } from "../exec/program";
import { emitJvp } from "./jvp";
import { zerosLike } from "../api/creation";
import { isFloat } from "../dtype";
import { callArguments, concreteResult, isDuplicated, shadowLeaf, shadowArrays, type ShadowedArg } from "./shadow-common";
import { inputPositions } from "../ir/input-positions";


/** What `forwardWithShadows` returns: the result and its tangent. */
export interface ForwardShadowedResult {
  /** The function's result, concrete. */
  readonly result: unknown;
  /** Its tangent (the same structure), concrete. */
  readonly tangent: unknown;
}

interface Meta {
  readonly template: unknown;
  readonly resultCount: number;
  /** Output index of each overwritten Duplicated leaf's final tangent and the input its shadow is bound to. */
  readonly shadowOutputs: { output: number; input: number }[];
  /** For each shadow input: the trace input of the leaf it shadows. */
  readonly shadowInputs: { input: number; leafInput: number }[];
}

/** Runs `f` in forward mode over `args`: its result and the result's tangent, writing the final tangents of overwritten Duplicated arguments into their shadows. */
export function forwardWithShadows(f: (...args: never[]) => unknown, args: readonly ShadowedArg[]): ForwardShadowedResult {
  const { values, shadows } = callArguments(args);
  const extra = `fwd:${args.map((a) => a.activity).join(",")}`;
  const call = traceForProgram(f, values, extra);
  const arrays = traceArrays(call);
  const program = programFor(call, extra, () => {
    const n = args.length;
    const trace = call.trace;
    const lookup = shadowArrays(shadows);
    const results = resultTensors(call.result);
    const seeds = new Map<Value, Tensor>();
    const written: { buffer: Buffer; shadow: Value }[] = [];
    const shadowLeaves: { leaf: Value; shadow: Value }[] = [];
    withTrace(trace, () => {
      for (const leaf of [...call.argInputs]) {
        if (!isDuplicated(args[leaf.argIndex]!.activity) || !isFloat(leaf.value.dtype)) continue;
        const shadowArray = shadowLeaf(lookup, leaf, (a) => trace.knownBuffer(a) !== undefined);
        const shadow = trace.addArgument(shadowArray, n + leaf.argIndex, leaf.path, `d${leaf.argIndex}${leaf.path}`);
        call.argInputs.push({ argIndex: n + leaf.argIndex, path: leaf.path, value: shadow, array: shadowArray });
        shadowLeaves.push({ leaf: leaf.value, shadow });
        seeds.set(leaf.value, Tensor.pinned(trace, shadow));
        if (trace.graph.latest(leaf.value.buffer) !== leaf.value) written.push({ buffer: leaf.value.buffer, shadow });
      }
    }, true);
    const tangents = emitJvp(trace, seeds);
    const inputs = inputPositions(trace.graph);
    const outputs: Value[] = results.map((r) => r.value);
    withTrace(trace, () => {
      for (const r of results) outputs.push((tangents.get(r.value) ?? zerosLike(r)).value);
    }, true);
    const shadowOutputs = written.map((w) => {
      const latest = trace.graph.latest(w.buffer);
      outputs.push(withTrace(trace, () => (tangents.get(latest) ?? zerosLike(Tensor.pinned(trace, latest))).value, true));
      return { output: outputs.length - 1, input: inputs.at(w.shadow) };
    });
    const shadowInputs = shadowLeaves.map((s) => ({ input: inputs.at(s.shadow), leafInput: inputs.at(s.leaf) }));
    const meta: Meta = { template: call.result, resultCount: results.length, shadowOutputs, shadowInputs };
    return { outputs, meta };
  });
  const plan = program.plan, meta = program.meta as Meta;
  try {
    bindTraceArrays(program, arrays);
    const lookup = shadowArrays(shadows);
    for (const s of meta.shadowInputs) {
      const info = call.trace.inputAt(s.leafInput);
      plan.bind(s.input, shadowLeaf(lookup, { argIndex: info.argIndex, path: info.path, value: plan.graph.inputs[s.leafInput]! }, arrays[s.leafInput]));
    }
    plan.execute();
    for (const s of meta.shadowOutputs) plan.copyOutput(s.output, plan.boundArray(s.input), false);
    return { result: concreteResult(meta.template, plan), tangent: concreteResult(meta.template, plan, meta.resultCount) };
  } finally {
    plan.release();
  }
}
