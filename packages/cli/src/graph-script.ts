/**
 * What `tsflux graph` draws. A graph script is a module exporting (by name, or as its default export)
 * a model, the inputs it is called with, and optionally a loss:
 *
 *   export const model = Chain(Dense(784, 32, relu), Dense(32, 10));
 *   export const inputs = [randn32(784, 16), onehotbatch(labels, 0..9)];
 *   export const loss = (m: Chain, x: Tensor, y: Tensor) => logitcrossentropy(m.forward(x), y);
 *
 * The forward graph traces `forward(model, ...inputs)` (default: `model.forward(inputs[0])`); the
 * gradient graph is `gradientGraph(loss, Duplicated(model), Const(input)...)`, what `gradient` compiles.
 * An experiment works as a graph script too: its model on one batch of its training data.
 */
import { trace, type Graph, type NdArray, type Tensor, isNdarray } from "@tsflux/graph";
import { testmode, trainmode, type Layer } from "@tsflux/layers";
import { Const, Duplicated, gradientGraph } from "@tsflux/enzyme-compat";
import { ScriptError } from "./errors";
import type { ResolvedExperiment } from "./experiment/resolve";

/** What a graph script exports for `tsflux graph`: a model, its inputs, and optionally forward and loss. */
export interface GraphScript<M = Layer> {
  readonly model: M;
  /** The arguments after the model (they are Const in the gradient graph). */
  readonly inputs: readonly NdArray[];
  /** The forward computation; default `(m, x) => m.forward(x)`. */
  readonly forward?: (model: M, ...inputs: Tensor[]) => unknown;
  /** A scalar loss of the model and the inputs, for the gradient graph. */
  readonly loss?: (model: M, ...inputs: Tensor[]) => Tensor;
}

/** The graph script of `exports` (a module's exports), checked; `file` names it in errors. */
export function graphScriptOf(exports: unknown, file: string): GraphScript<unknown> {
  const named = exports as Partial<GraphScript<unknown>> & { default?: Partial<GraphScript<unknown>> };
  const script = named.model === undefined && typeof named.default === "object" && named.default !== null ? named.default : named;
  if (script.model === undefined) throw new ScriptError(`${file}: a graph script exports \`model\` and \`inputs\` (and \`loss\` for --grad)`);
  if (!Array.isArray(script.inputs) || !script.inputs.every(isNdarray)) throw new ScriptError(`${file}: \`inputs\` must be an array of ndarrays (the arguments after the model)`);
  for (const key of ["forward", "loss"] as const) {
    if (script[key] !== undefined && typeof script[key] !== "function") throw new ScriptError(`${file}: \`${key}\` must be a function of the model and the inputs`);
  }
  const forward = script.forward ?? ((m: unknown, x: Tensor) => (m as Layer).forward(x));
  if (script.forward === undefined && typeof (script.model as Partial<Layer>).forward !== "function") {
    throw new ScriptError(`${file}: \`model\` has no forward method; export \`forward(model, ...inputs)\``);
  }
  return { model: script.model, inputs: script.inputs, forward, ...(script.loss ? { loss: script.loss } : {}) };
}

/** An experiment's model and loss on the first batch of its training data; the loss traces the model in training mode (Dropout active). */
export function experimentGraphScript(e: ResolvedExperiment): GraphScript {
  const { x, y } = e.data.train;
  const n = Math.min(e.batchsize, x.shape[x.shape.length - 1]!);
  const firstColumns = (a: NdArray) => a.hi(...a.shape.map((d, i) => (i === a.shape.length - 1 ? n : d)));
  return {
    model: e.model,
    inputs: [firstColumns(x), firstColumns(y)],
    forward: (m, xb) => m.forward(xb),
    loss: (m, xb, yb) => {
      trainmode(m);
      try {
        return e.loss(m.forward(xb), yb);
      } finally {
        testmode(m, "auto");
      }
    },
  };
}

/** The forward graph, or (with `gradient`) the gradient graph, of a script. */
export function scriptGraph<M>(script: GraphScript<M>, gradient: boolean, file: string): Graph {
  if (!gradient) return trace(script.forward as (...args: never[]) => unknown, script.model, ...script.inputs);
  if (!script.loss) throw new ScriptError(`${file}: the gradient graph (--grad) needs a \`loss(model, ...inputs)\` export`);
  return gradientGraph(script.loss as (...args: never[]) => unknown, Duplicated(script.model), ...script.inputs.map((x) => Const(x)));
}
