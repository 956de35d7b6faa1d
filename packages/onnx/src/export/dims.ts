/**
 * Batch-dependent dims. The model is traced at two batch sizes; a dim that changes between the two
 * traces is `k * batch` (k found from the two sizes), every other dim is fixed.
 */
import type { Graph, Value } from "@tsflux/graph";
import { OnnxError } from "../errors";

/** A dim: a fixed size, or `perBatch` times the batch size. */
export type Dim = number | { readonly perBatch: number };

/** Symbolic dims (tsflux order) of every value of `g1`, from its twin `g2` traced at another batch size. */
export function batchDims(g1: Graph, g2: Graph, n1: number, n2: number): Map<Value, Dim[]> {
  const values = (g: Graph): Value[] => [...g.inputs, ...g.nodes.map((n) => n.output)];
  const v1 = values(g1), v2 = values(g2);
  const sameStructure = v1.length === v2.length && g1.nodes.every((n, i) => n.op === g2.nodes[i]!.op);
  if (!sameStructure) {
    throw new OnnxError(`toOnnx: the traced graph changes with the batch size (${n1} vs ${n2}); export with { batch: "static" }`);
  }
  g1.nodes.forEach((n, i) => {
    const changed = batchDependentAttr(n.attrs, g2.nodes[i]!.attrs);
    if (changed) {
      const [key, a, b] = changed;
      throw new OnnxError(`toOnnx: op '${n.op}' has ${key}=${a} at batch ${n1} but ${key}=${b} at batch ${n2} (as a mean over the batch has); export with { batch: "static" }`);
    }
  });
  const dims = new Map<Value, Dim[]>();
  v1.forEach((a, i) => {
    const b = v2[i]!;
    dims.set(a, a.shape.map((d1, k) => {
      const d2 = b.shape[k]!;
      if (d1 === d2) return d1;
      const perBatch = (d2 - d1) / (n2 - n1);
      if (!Number.isInteger(perBatch) || perBatch * n1 !== d1) {
        throw new OnnxError(`toOnnx: dim ${k + 1} of a value is ${d1} at batch ${n1} and ${d2} at batch ${n2}, not a multiple of the batch size; export with { batch: "static" }`);
      }
      return { perBatch };
    }));
  });
  return dims;
}

/** Fixed dims for every value (a static-batch export). */
export function staticDims(g: Graph): Map<Value, Dim[]> {
  const dims = new Map<Value, Dim[]>();
  for (const v of [...g.inputs, ...g.nodes.map((n) => n.output)]) dims.set(v, [...v.shape]);
  return dims;
}

/** True when a dim depends on the batch size. */
export const isBatchDim = (d: Dim): d is { perBatch: number } => typeof d !== "number";

/** The ONNX spelling of a dim in a value's declared type. */
export function dimLabel(d: Dim): number | string {
  return typeof d === "number" ? d : d.perBatch === 1 ? "batch" : `batch*${d.perBatch}`;
}

/**
 * The first attribute that differs between the two traces, as [name, value 1, value 2]. Attributes that
 * restate value dims (`shape`, a slice's `stop`) are left out: the dims of the values already cover them.
 */
function batchDependentAttr(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): [string, string, string] | undefined {
  for (const key of Object.keys(a)) {
    if (key === "shape" || key === "stop") continue;
    const va = JSON.stringify(a[key]), vb = JSON.stringify(b[key]);
    if (va !== vb) return [key, va, vb];
  }
  return undefined;
}
