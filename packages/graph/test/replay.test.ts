/**
 * Tracing against a template (a cached program's forward trace): a call that repeats the template builds
 * no graph and finds its program directly; a call that differs anywhere writes, at the first difference,
 * the graph a fresh trace would have built, and records on. Each way of differing is tried, and the
 * written graph is compared with a fresh trace of the same call.
 */
import {
  traceCall, programFor, resultTensors, resultKey, printGraph, add, mul, exp, tanh, sum, abs2, copy, addAssign,
  wrapColMajor, reverseWithShadows, toFlatArray, type Tensor, type NdArray, type TracedCall,
} from "@tsflux/graph";

const arr = (values: number[]): NdArray => wrapColMajor(Float64Array.from(values), [values.length]);

/** What a variant of the traced function changes against the template's call. */
interface Variant {
  readonly constant?: number;
  readonly activation?: (x: Tensor) => Tensor;
  readonly swapOperands?: boolean;
  readonly dims?: boolean;
  readonly captured?: NdArray;
  readonly extraCapture?: NdArray;
  readonly inPlaceOnFirst?: boolean;
  readonly stopEarly?: boolean;
  readonly x?: NdArray;
  readonly swapKeys?: boolean;
}

const captured = arr([0.5, -1, 2]);
const x0 = arr([0.1, 0.2, -0.3]), w0 = arr([1.5, -0.5, 0.25]);

function body(v: Variant) {
  return (args: { a: Tensor; b: Tensor }) => {
    const h = (v.activation ?? tanh)(add(mul(args.a, args.b), v.constant ?? 0.5));
    const c = v.captured ?? captured;
    const g = v.swapOperands ? mul(c, h) : mul(h, c);
    if (v.stopEarly) return sum(abs2(g));
    const z = copy(g);
    addAssign(v.inPlaceOnFirst ? g : z, args.a);
    const out = v.extraCapture ? mul(z, v.extraCapture) : z;
    return v.dims ? sum(abs2(out), { dims: 1 }) : sum(abs2(out)) as Tensor | number;
  };
}

function argsOf(v: Variant): unknown[] {
  const x = v.x ?? x0;
  return [v.swapKeys ? { b: w0, a: x } : { a: x, b: w0 }];
}

const call = (v: Variant, template?: Parameters<typeof traceCall>[2]): TracedCall => traceCall(body(v) as (...a: never[]) => unknown, argsOf(v), template);

/** The template: the program of the base variant's call. */
function templateProgram() {
  const first = call({});
  return programFor(first, "replay-test", () => ({ outputs: resultTensors(first.result).map((t) => t.value) }));
}

const differing: [string, Variant][] = [
  ["an op differs", { activation: exp }],
  ["an operand order differs", { swapOperands: true }],
  ["an attribute differs", { dims: true }],
  ["a captured array has another shape", { captured: arr([0.5]) }],
  ["one more captured array", { extraCapture: arr([1, 2, 3]) }],
  ["an in-place op writes another buffer", { inPlaceOnFirst: true }],
  ["the function stops early", { stopEarly: true }],
  ["an argument has another shape", { x: arr([0.1]) }],
  ["an argument's leaves come in another order", { swapKeys: true }],
];

describe("a trace following a template", () => {
  test("repeats it without building a graph, and collects the constants' values of this call", () => {
    const program = templateProgram();
    const replayed = call({ constant: 0.25 }, program.shape);
    const replay = replayed.trace.replaying!;
    expect(replay.complete).toBe(true);
    expect(replay.constants).toContain(0.25);
    expect(replay.constants).not.toContain(0.5);
    expect(resultKey(replayed.result)).toBe(program.shape.result);
    expect(programFor(replayed, "replay-test", () => { throw new Error("a repeated trace must not build"); })).toBe(program);
  });

  test.each(differing)("when %s, writes the graph a fresh trace builds", (_name, variant) => {
    const program = templateProgram();
    const withConstant = { ...variant, constant: 0.25 }; // the written graph must carry this call's constant
    const replayed = call(withConstant, program.shape);
    const fresh = call(withConstant);
    expect(replayed.trace.replaying?.complete ?? false).toBe(false);
    expect(printGraph(replayed.trace.graph)).toBe(printGraph(fresh.trace.graph));
    expect(resultKey(replayed.result)).toBe(resultKey(fresh.result));
    expect(replayed.argInputs.map((a) => [a.argIndex, a.path, a.array])).toEqual(fresh.argInputs.map((a) => [a.argIndex, a.path, a.array]));
  });

  test("the function runs once per call, whether the trace follows or leaves its template", () => {
    const program = templateProgram();
    let runs = 0;
    const counted = (v: Variant) => (args: { a: Tensor; b: Tensor }) => (runs++, body(v)(args));
    traceCall(counted({}) as (...a: never[]) => unknown, argsOf({}), program.shape);
    traceCall(counted({ activation: exp }) as (...a: never[]) => unknown, argsOf({}), program.shape);
    expect(runs).toBe(2);
  });
});

describe("gradients through calls that alternate between two structures", () => {
  test("a captured flag switching the activation every call gives each call's own gradient", () => {
    const x = arr([0.3, -0.7, 1.1]), dx = arr([0, 0, 0]);
    let useExp = false;
    const f = (t: Tensor) => sum(useExp ? exp(t) : tanh(t));
    for (let step = 0; step < 6; step++) {
      useExp = step % 2 === 1;
      dx.data.fill(0);
      reverseWithShadows(f, [{ value: x, activity: "duplicated", shadow: dx }], { activeReturn: true });
      const expected = toFlatArray(x).map((v) => (useExp ? Math.exp(v) : 1 - Math.tanh(v) ** 2));
      toFlatArray(dx).forEach((g, i) => expect(g).toBeCloseTo(expected[i]!, 12));
    }
  });
});
