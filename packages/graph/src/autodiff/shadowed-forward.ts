/**
 * Enzyme's forward mode over arguments with shadows: a Duplicated argument's shadow is the tangent of
 * its initial contents, and, if the function overwrites it, receives the tangent of its final contents.
 * The result's tangent is returned (for a Duplicated return).
 */
import { Tensor } from "../tensor";
import { withTrace } from "../ir/trace-context";
import type { Buffer, Value } from "../ir/graph";
import { traceCall, resultTensors } from "../trace";
import { programFor, bindProgram } from "../exec/program";
import { emitJvp } from "./jvp";
import { zerosLike } from "../api/creation";
import { isFloat } from "../dtype";
import { callArguments, concreteResult, isDuplicated, shadowLeaf, type ShadowedArg } from "./shadow-common";

export interface ForwardShadowedOptions {
  /** Key under which the compiled program is cached (default: the function). */
  readonly cacheKey?: object;
}

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
}

export function forwardWithShadows(f: (...args: never[]) => unknown, args: readonly ShadowedArg[], opts: ForwardShadowedOptions = {}): ForwardShadowedResult {
  const { values, shadows } = callArguments(args);
  const callArgs = [...values, ...shadows];
  const extra = `fwd:${args.map((a) => a.activity).join(",")}`;
  const program = programFor(opts.cacheKey ?? f, callArgs, extra, () => {
    const n = args.length;
    const call = traceCall(f, values);
    const trace = call.trace;
    const results = resultTensors(call.result);
    const seeds = new Map<Value, Tensor>();
    const written: { buffer: Buffer; shadow: Value }[] = [];
    withTrace(trace, () => {
      for (const leaf of [...call.argInputs]) {
        if (!isDuplicated(args[leaf.argIndex]!.activity) || !isFloat(leaf.value.dtype)) continue;
        const shadowArray = shadowLeaf(shadows[leaf.argIndex], leaf, trace.arrays.has.bind(trace.arrays));
        const shadow = trace.addArgument(shadowArray, n + leaf.argIndex, leaf.path, `d${leaf.argIndex}${leaf.path}`);
        call.argInputs.push({ argIndex: n + leaf.argIndex, path: leaf.path, value: shadow, array: shadowArray });
        seeds.set(leaf.value, Tensor.pinned(trace, shadow));
        if (trace.graph.latest(leaf.value.buffer) !== leaf.value) written.push({ buffer: leaf.value.buffer, shadow });
      }
    }, true);
    const tangents = emitJvp(trace, seeds);
    const outputs: Value[] = results.map((r) => r.value);
    withTrace(trace, () => {
      for (const r of results) outputs.push((tangents.get(r.value) ?? zerosLike(r)).value);
    }, true);
    const shadowOutputs = written.map((w) => {
      const latest = trace.graph.latest(w.buffer);
      outputs.push(withTrace(trace, () => (tangents.get(latest) ?? zerosLike(Tensor.pinned(trace, latest))).value, true));
      return { output: outputs.length - 1, input: trace.graph.inputs.indexOf(w.shadow) };
    });
    const meta: Meta = { template: call.result, resultCount: results.length, shadowOutputs };
    return { call, outputs, meta };
  });
  bindProgram(program, callArgs);
  program.plan.execute();
  const meta = program.meta as Meta;
  for (const s of meta.shadowOutputs) program.plan.copyOutput(s.output, program.plan.boundArray(s.input), false);
  return { result: concreteResult(meta.template, program.plan), tangent: concreteResult(meta.template, program.plan, meta.resultCount) };
}
