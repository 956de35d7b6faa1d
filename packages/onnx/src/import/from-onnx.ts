/** fromOnnx: an ONNX model as a tsflux model, a Chain where the graph is a chain, else an OnnxGraph layer. */
import { OnnxError } from "../errors";
import { parseModel } from "./parse";
import { importChain } from "./chain";
import { OnnxGraph, exampleInputFor, unsupportedOps } from "./graph-layer";

/**
 * A trainable tsflux model from ONNX bytes. A chain of Gemm/MatMul(+Add) nodes, activations, softmax and
 * Dropout becomes `Chain(Dense(...), ...)` with Flux's weight layout; any other graph of supported ops
 * becomes an `OnnxGraph` layer that runs the nodes with tsflux ops. Either is ready for `Duplicated` and `train`.
 *
 * @example
 * const model = fromOnnx(readFileSync("mlp.onnx"));   // Chain(Dense(784 => 32, relu), Dense(32 => 10))
 * model.forward(x);                                  // x: [784, batch], as for any tsflux model
 */
export function fromOnnx(bytes: Uint8Array): ReturnType<typeof importChain> | OnnxGraph {
  const model = parseModel(bytes);
  const missing = unsupportedOps(model);
  if (missing.length > 0) throw new OnnxError(`fromOnnx: op${missing.length > 1 ? "s" : ""} ${missing.map((m) => `'${m}'`).join(", ")} ha${missing.length > 1 ? "ve" : "s"} no tsflux counterpart`);
  const chain = importChain(model);
  if (chain) return chain;
  const layer = OnnxGraph(model);
  // run once on zeros of the declared dims, so a graph that cannot run fails here rather than in training
  layer.forward(exampleInputFor(model.input.dims, model.input.elemType));
  return layer;
}
