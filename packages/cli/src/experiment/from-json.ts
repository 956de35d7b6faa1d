/**
 * Experiments written as JSON. Every field but `model`, `data`, `optimiser` and `epochs` is optional:
 *
 *   {
 *     "name": "mnist-small", "seed": 1, "epochs": 3, "batchsize": 32,
 *     "model": { "Chain": [{ "Dense": [784, 64, "relu"] }, { "Dense": [64, 10] }] },
 *     "data": { "mnist": { "train": 1000, "test": 1000 } },
 *     "loss": "logitcrossentropy",
 *     "optimiser": { "Adam": [0.001] }
 *   }
 *
 * `model`, `data` and `optimiser` are constructor calls (see constructors.ts); `loss` names a loss of
 * @tsflux/layers. Unknown fields are errors, so a misspelt one is not silently ignored.
 */
import type { Layer } from "@tsflux/layers";
import type { Optimiser } from "@tsflux/optim";
import { ExperimentError } from "../errors";
import { DATA_REGISTRY, LOSSES, MODEL_REGISTRY, OPTIMISER_REGISTRY, construct } from "./constructors";
import type { Experiment, ExperimentData } from "./types";
import { ownValue } from "./own-value";

const FIELDS = ["name", "seed", "model", "data", "loss", "optimiser", "epochs", "batchsize"] as const;

/** The experiment a parsed JSON file describes; `source` (the file) names it in errors and by default. */
export function fromJson(spec: unknown, source: string): Experiment {
  if (spec === null || typeof spec !== "object" || Array.isArray(spec)) throw new ExperimentError(`${source}: an experiment must be a JSON object`);
  const fields = spec as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((k) => !(FIELDS as readonly string[]).includes(k));
  if (unknown.length > 0) {
    const hint = unknown.includes("optimizer") ? ' (the field is spelt "optimiser", as in Flux)' : "";
    throw new ExperimentError(`${source}: unknown field${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")}${hint}; an experiment has ${FIELDS.join(", ")}`);
  }
  for (const field of ["model", "data", "optimiser", "epochs"] as const) {
    if (fields[field] === undefined) throw new ExperimentError(`${source}: the experiment needs "${field}"`);
  }
  const lossName = fields.loss ?? "logitcrossentropy";
  const loss = typeof lossName === "string" ? ownValue(LOSSES, lossName) : undefined;
  if (loss === undefined) throw new ExperimentError(`${source}: unknown loss ${JSON.stringify(lossName)} (known: ${Object.keys(LOSSES).join(", ")})`);
  const name = typeof fields.name === "string" ? fields.name : source.replace(/^.*[\\/]/, "").replace(/\.json$/, "");
  return {
    name,
    seed: fields.seed as number | undefined,
    epochs: fields.epochs as number,
    batchsize: fields.batchsize as number | undefined,
    loss,
    optimiser: construct(fields.optimiser, OPTIMISER_REGISTRY, "optimiser") as Optimiser,
    model: () => construct(fields.model, MODEL_REGISTRY, "model") as Layer,
    data: () => construct(fields.data, DATA_REGISTRY, "data") as ExperimentData,
  };
}
