/**
 * From an experiment as written to the pieces a run needs: the generator seeded, then the model and
 * data made (factories are called here), defaults filled in, and every field checked so that a bad
 * experiment fails with a message naming the field before any training starts.
 */
import { isNdarray, seed as seedGenerator } from "@tsflux/graph";
import { logitcrossentropy, type Layer } from "@tsflux/layers";
import { isRule, type Optimiser } from "@tsflux/optim";
import { ExperimentError } from "../errors";
import type { Experiment, ExperimentData, LossFunction, Split } from "./types";

/** An experiment with its model and data made and its defaults filled in. */
export interface ResolvedExperiment {
  readonly name: string;
  readonly seed: number;
  readonly model: Layer;
  readonly data: ExperimentData;
  readonly loss: LossFunction;
  readonly optimiser: Optimiser;
  readonly epochs: number;
  readonly batchsize: number;
}

/** Settings given on the command line, which win over the experiment's. */
export interface ExperimentOverrides {
  readonly epochs?: number;
  readonly seed?: number;
}

/** The batch size of an experiment that does not set one. */
export const DEFAULT_BATCHSIZE = 64;

function isWhole(x: unknown, min: number): x is number {
  return Number.isSafeInteger(x) && (x as number) >= min;
}

function checkSplit(name: string, which: string, split: Split | undefined): void {
  const where = `experiment ${name}: data.${which}`;
  if (split === null || typeof split !== "object" || !isNdarray(split.x) || !isNdarray(split.y)) {
    throw new ExperimentError(`${where} must be { x, y } with ndarrays (observations along the last dimension)`);
  }
  const n = (a: Split["x"]) => a.shape[a.shape.length - 1];
  if (split.x.shape.length === 0 || split.y.shape.length === 0 || n(split.x) !== n(split.y)) {
    throw new ExperimentError(`${where}: x [${split.x.shape.join(", ")}] and y [${split.y.shape.join(", ")}] must have the same last dimension (the observations)`);
  }
  if (n(split.x) === 0) throw new ExperimentError(`${where} holds no observations`);
}

/** Checks `experiment`, seeds the generator, and makes its model and data. */
export function resolveExperiment(experiment: Experiment, overrides: ExperimentOverrides = {}): ResolvedExperiment {
  if (experiment === null || typeof experiment !== "object") throw new ExperimentError(`an experiment must be an object, got ${experiment === null ? "null" : typeof experiment}`);
  const name = typeof experiment.name === "string" && experiment.name !== "" ? experiment.name : "experiment";
  const fail = (message: string): never => {
    throw new ExperimentError(`experiment ${name}: ${message}`);
  };
  const epochs = overrides.epochs ?? experiment.epochs;
  if (!isWhole(epochs, 1)) fail(`epochs must be a positive whole number, got ${String(epochs)}`);
  const seed = overrides.seed ?? experiment.seed ?? 0;
  if (!isWhole(seed, 0)) fail(`seed must be a whole number >= 0, got ${String(seed)}`);
  const batchsize = experiment.batchsize ?? DEFAULT_BATCHSIZE;
  if (!isWhole(batchsize, 1)) fail(`batchsize must be a positive whole number, got ${String(batchsize)}`);
  if (!isRule(experiment.optimiser)) fail(`optimiser must be a rule from @tsflux/optim, such as Adam(1e-3), got ${String(experiment.optimiser)}`);
  const loss = experiment.loss ?? logitcrossentropy;
  if (typeof loss !== "function") fail(`loss must be a function (yhat, y) => loss, got ${typeof loss}`);

  seedGenerator(seed);
  const model = typeof experiment.model === "function" ? (experiment.model as () => Layer)() : experiment.model;
  if (typeof (model as Partial<Layer> | null)?.forward !== "function") fail("model must be a layer (such as a Chain) or a function returning one");
  const data = typeof experiment.data === "function" ? experiment.data() : experiment.data;
  if (data === null || typeof data !== "object") fail("data must be { train, test? } or a function returning it");
  checkSplit(name, "train", data.train);
  if (data.test !== undefined) checkSplit(name, "test", data.test);
  return { name, seed, model, data, loss, optimiser: experiment.optimiser, epochs, batchsize };
}
