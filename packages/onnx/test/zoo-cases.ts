/**
 * The layer zoo as ONNX tests see it: one model mapping one tensor to one tensor (a layer whose forward
 * returns a tuple is wrapped with the zoo's `apply`), and the input to trace it with (the zoo's fixed
 * integer input where it has one, else random Float32 values).
 */
import type { NdArray, Tensor } from "@tsflux/graph";
import { randomArray, type Rng as RandomSource } from "@tsflux/graph/testing";
import type { ZooCase } from "../../layers/test/model-zoo";
import { OnnxError, toOnnx, type ToOnnxOptions } from "@tsflux/onnx";

export type Model = { forward(x: Tensor): Tensor } | ((x: Tensor) => Tensor);

/** A layer whose forward does not map one tensor to one tensor, seen through the zoo's `apply`. */
export class Applied {
  constructor(readonly model: unknown, private readonly how: (model: never, x: Tensor) => Tensor) {}

  forward(x: Tensor): Tensor {
    return this.how(this.model as never, x);
  }
}

/** The model to export for a zoo case. */
export function exportable(c: ZooCase, model: unknown): Model {
  return c.apply ? new Applied(model, c.apply) : (model as Model);
}

/** The case's input at batch size n (its fixed input, whatever n, when it has one). */
export function zooInput(c: ZooCase, rng: RandomSource, n?: number): NdArray {
  if (c.fixedInput) return c.fixedInput();
  const shape = n === undefined || c.input.length < 2 ? c.input : [...c.input.slice(0, -1), n];
  return randomArray(rng, shape, "f32", "real");
}

/**
 * The export with a symbolic batch, or, when toOnnx explains that the graph depends on the batch size
 * (statistics over the batch, as BatchNorm without running statistics computes), with a static one.
 */
export function exportWithFallback(model: Model, x: NdArray, options: ToOnnxOptions): { bytes: Uint8Array; dynamic: boolean } {
  if (options.batch === "static") return { bytes: toOnnx(model, x, options), dynamic: false };
  try {
    return { bytes: toOnnx(model, x, options), dynamic: true };
  } catch (e) {
    if (!(e instanceof OnnxError) || !/export with \{ batch: "static" \}/.test(e.message)) throw e;
    return { bytes: toOnnx(model, x, { ...options, batch: "static" }), dynamic: false };
  }
}
