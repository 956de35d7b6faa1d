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
