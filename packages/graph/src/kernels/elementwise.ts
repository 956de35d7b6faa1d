/**
 * Elementwise loops generated from scalar formulas. Each (formula, dtypes) pair gets its own compiled
 * function, so every loop is monomorphic in V8 (one typed-array kind per site).
 */
import type { DType } from "../dtype";
import type { KernelFn, Slot } from "../ops/types";

/**
 * How the loop index maps to an input. With `rows` set, the loop runs over a [rows, cols] view:
 * "col" inputs hold one value per row (a column vector repeated), "row" inputs one value per column.
 */
export type Access = "flat" | "scalar" | "col" | "row";

export interface LoopSpec {
  inputs: readonly { dtype: DType; access: Access }[];
  /** Statements computing locals from `in0`, `in1`, ...; may be empty. */
  statements: readonly string[];
  /** One expression per output slot. */
  outputs: readonly { dtype: DType; expr: string }[];
  /** Height of the [rows, cols] view; needed when an input is "col" or "row". */
  rows?: number;
}

export type Loop = (outs: readonly Slot[], ins: readonly Slot[]) => void;

const factories = new Map<string, (n: number, rows: number) => Loop>();

/** Compiles a loop over `n` elements; inputs are read as `in0`, `in1`, ... inside the expressions. */
export function compileLoop(spec: LoopSpec, n: number): Loop {
  return loopFactory(spec)(n, spec.rows ?? n);
}

/** The compiled loop of `spec` for any element count `n` and view height `rows` (ignored without `spec.rows`). */
export function loopFactory(spec: LoopSpec): (n: number, rows: number) => Loop {
  const key = JSON.stringify({ ...spec, rows: spec.rows === undefined ? undefined : 0 });
  let factory = factories.get(key);
  if (!factory) {
    factory = new Function("n", "rows", loopSource(spec)) as (n: number, rows: number) => Loop;
    factories.set(key, factory);
  }
  return factory;
}

function loopSource(spec: LoopSpec): string {
  const lines: string[] = ["return function loop(outs, ins) {"];
  spec.inputs.forEach((_, k) => lines.push(`  const d${k} = ins[${k}].data, o${k} = ins[${k}].offset;`));
  spec.outputs.forEach((_, k) => lines.push(`  const r${k} = outs[${k}].data, p${k} = outs[${k}].offset;`));
  const index: Record<Access, string> = { flat: "i", scalar: "0", col: "c", row: "j" };
  // a scalar input is read once per call, before the loop
  spec.inputs.forEach((inp, k) => {
    if (inp.access === "scalar") lines.push(`  const in${k} = d${k}[o${k}];`);
  });
  const body = [
    ...spec.inputs.flatMap((inp, k) => (inp.access === "scalar" ? [] : [`const in${k} = d${k}[o${k} + ${index[inp.access]}];`])),
    ...spec.statements,
    ...spec.outputs.map((o, k) => `r${k}[p${k} + i] = ${o.expr};`),
  ];
  if (spec.rows === undefined) {
    lines.push("  for (let i = 0; i < n; i++) {", ...body.map((s) => `    ${s}`), "  }");
  } else {
    lines.push(
      "  if (rows === 0) return;",
      "  for (let j = 0, i = 0; i < n; j++) {",
      "    for (let c = 0; c < rows; c++, i++) {",
      ...body.map((s) => `      ${s}`),
      "    }",
      "  }",
    );
  }
  lines.push("};");
  return lines.join("\n");
}

/** A kernel for one elementwise op: `expr` is the op's formula over `in0..in{k-1}`. */
export function elementwiseKernel(expr: string, inputs: readonly DType[], output: DType, n: number): KernelFn {
  const loop = compileLoop({ inputs: inputs.map((dtype) => ({ dtype, access: "flat" })), statements: [], outputs: [{ dtype: output, expr }] }, n);
  const outs: Slot[] = [{ data: new Float64Array(0), offset: 0 }];
  return (out, ins) => {
    outs[0] = out;
    loop(outs, ins);
  };
}
