/**
 * The registry sweep: every registered op, on every sample case, is checked for its forward value
 * against an independent reference (eagerly, through the interpreter and through a compiled plan),
 * and, when differentiable, for reverse and forward mode against Float64 finite differences, the
 * dot-product test, second order, and Float32 against Float64.
 */
import { OPS, applyOp, trace, compile, evaluate, opDef, vjp, jvp, Tensor, toFlatArray, wrapColMajor, type OpName, type NdArray } from "@tsflux/graph";
import { gradcheck, gradgradcheck, dotProductTest, compareFloat32, expectClose, mulberry32, seedFrom, randomArray } from "@tsflux/graph/testing";
import { OP_CASES, type OpCase } from "./op-cases";
import type { Arr } from "./reference";

const FORWARD = { rtol: 1e-12, atol: 1e-12 };

function makeInputs(op: string, c: OpCase<OpName>): NdArray[] {
  const rng = mulberry32(seedFrom(`${op}/${c.label}`));
  return c.inputs.map((spec) => spec.values ? wrapColMajor((spec.dtype === "i32" ? Int32Array : spec.dtype === "bool" ? Uint8Array : Float64Array).from(spec.values), spec.shape) : randomArray(rng, spec.shape, spec.dtype ?? "f64", spec.domain ?? (spec.dtype === "bool" ? "bool" : "real")));
}

const toArr = (x: NdArray): Arr => ({ shape: [...x.shape], data: toFlatArray(x) });

describe.each(Object.keys(OPS) as OpName[])("%s", (op) => {
  const cases = OP_CASES[op] as OpCase<OpName>[];

  test("has sample cases", () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  describe.each(cases.map((c) => [c.label, c] as const))("%s", (_label, c) => {
    const apply = (...xs: Tensor[]) => applyOp(op, xs, c.attrs as never);
    const inputs = makeInputs(op, c);
    const expected = c.reference(inputs.map(toArr));
    const floatInputs = c.inputs.map((s) => (s.dtype ?? "f64") === "f64");
    const outputIsFloat = apply(...inputs.map((x) => Tensor.concrete(x))).dtype === "f64";

    test("forward: eager, interpreted and compiled against the reference", () => {
      c.before?.();
      const eager = apply(...inputs.map((x) => Tensor.concrete(x)));
      expectClose(eager, expected.data, { ...FORWARD, what: `${op} eager` });
      expect([...eager.shape]).toEqual(expected.shape);
      const graph = trace(apply, ...inputs);
      c.before?.();
      expectClose(evaluate(graph, inputs)[0]!, expected.data, { ...FORWARD, what: `${op} interpreted` });
      const plan = compile(graph);
      c.before?.();
      expectClose(plan.run(...inputs)[0]!, expected.data, { ...FORWARD, what: `${op} compiled` });
    });

    if (!outputIsFloat) {
      test("no derivative: the rules return no tangent and no cotangents", () => {
        const graph = trace(apply, ...inputs);
        const node = graph.nodes[graph.nodes.length - 1]!;
        expect(node.op).toBe(op);
        trace((...xs: Tensor[]) => {
          const def = opDef(op);
          const y = applyOp(op, xs, c.attrs as never);
          const primals = { x: xs, y };
          expect(def.jvp(primals, xs, node.attrs)).toBeNull();
          const grads = def.vjp ? def.vjp(primals, y, node.attrs) : def.transpose!(y, node.attrs, node.inputs);
          expect(grads.every((g) => g === null)).toBe(true);
          return y;
        }, ...inputs);
      });
      return;
    }
    if (!floatInputs.some(Boolean)) return;
    if (c.zeroDerivative) {
      test("derivative is exactly zero by definition", () => {
        const ones = inputs.map((x) => wrapColMajor(new Float64Array(x.data.length).fill(1), x.shape));
        for (const g of vjp(apply, inputs, wrapColMajor(new Float64Array(expected.data.length).fill(1), expected.shape)).grads) {
          expect(toFlatArray(g.toNdarray()).every((v) => v === 0)).toBe(true);
        }
        expect(toFlatArray(jvp(apply, inputs, ones).tangent.toNdarray()).every((v) => v === 0)).toBe(true);
      });
      return;
    }

    test("reverse and forward mode against Float64 finite differences", () => {
      gradcheck(apply, inputs, { wrt: floatInputs, what: `${op} ${c.label}` });
    });

    test("dot-product test: <J v, u> = <v, Jᵀ u>", () => {
      dotProductTest(apply, inputs, { wrt: floatInputs, what: `${op} ${c.label}` });
    });

    test("second order: the derivative rules' own derivatives", () => {
      gradgradcheck(apply, inputs, { wrt: floatInputs, what: `${op} ${c.label}` });
    });

    test("Float32 against Float64", () => {
      compareFloat32(apply, inputs, { wrt: floatInputs, what: `${op} ${c.label}` });
    });
  });
});

test("every op block declares a JVP rule and exactly one of VJP or transpose", () => {
  for (const op of Object.keys(OPS) as OpName[]) {
    const def = opDef(op);
    expect(typeof def.jvp).toBe("function");
    expect(typeof def.vjp === "function").not.toBe(typeof def.transpose === "function");
  }
});
