/**
 * Constructor calls written as JSON: `{ "Dense": [784, 128, "relu"] }` calls `Dense(784, 128, relu)`,
 * `{ "Adam": { "eta": 0.001 } }` calls `Adam({ eta: 0.001 })`, `{ "Dropout": 0.2 }` calls `Dropout(0.2)`
 * and `"Adam"` calls `Adam()`. Calls nest (`{ "Chain": [{ "Dense": [...] }, "softmax"] }`). A string
 * in an argument list names a function (an activation such as "relu"); inside an options object it is
 * kept as a string.
 */
import * as layers from "@tsflux/layers";
import * as optim from "@tsflux/optim";
import { ExperimentError } from "../errors";
import { mnist } from "../data/mnist";
import type { LossFunction } from "./types";
import { ownValue } from "./own-value";

type Callable = (...args: never[]) => unknown;

/** What a JSON experiment may call, by field. */
export interface Registry {
  /** Constructors, called with the arguments given. */
  readonly constructors: Readonly<Record<string, Callable>>;
  /** Functions a string argument may name. */
  readonly functions: Readonly<Record<string, Callable>>;
}

const ACTIVATIONS: Record<string, Callable> = {
  relu: layers.relu, sigmoid: layers.sigmoid, σ: layers.σ, tanh: layers.tanh, softmax: layers.softmax, logsoftmax: layers.logsoftmax,
  softplus: layers.softplus, leakyrelu: layers.leakyrelu, elu: layers.elu, gelu: layers.gelu, swish: layers.swish, identity: layers.identity,
};

export const MODEL_REGISTRY: Registry = {
  constructors: {
    Chain: layers.Chain, Dense: layers.Dense, Dropout: layers.Dropout, LayerNorm: layers.LayerNorm, Scale: layers.Scale,
    SkipConnection: layers.SkipConnection, Parallel: layers.Parallel,
    Conv: layers.Conv, CrossCor: layers.CrossCor, ConvTranspose: layers.ConvTranspose, DepthwiseConv: layers.DepthwiseConv,
    MaxPool: layers.MaxPool, MeanPool: layers.MeanPool, GlobalMaxPool: layers.GlobalMaxPool, GlobalMeanPool: layers.GlobalMeanPool,
    AdaptiveMaxPool: layers.AdaptiveMaxPool, AdaptiveMeanPool: layers.AdaptiveMeanPool, Upsample: layers.Upsample,
    PixelShuffle: layers.PixelShuffle, SamePad: layers.SamePad, BatchNorm: layers.BatchNorm, InstanceNorm: layers.InstanceNorm,
    GroupNorm: layers.GroupNorm,
  },
  functions: { ...ACTIVATIONS, flatten: layers.flatten },
};

export const OPTIMISER_REGISTRY: Registry = {
  constructors: Object.fromEntries(optim.RULE_NAMES.map((name) => [name, optim[name] as Callable])),
  functions: {},
};

export const DATA_REGISTRY: Registry = { constructors: { mnist }, functions: {} };

export const LOSSES: Readonly<Record<string, LossFunction>> = {
  logitcrossentropy: layers.logitcrossentropy, crossentropy: layers.crossentropy, mse: layers.mse, mae: layers.mae,
  huberLoss: layers.huberLoss, binarycrossentropy: layers.binarycrossentropy, logitbinarycrossentropy: layers.logitbinarycrossentropy,
  kldivergence: layers.kldivergence,
};

function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

function known(names: Record<string, unknown>): string {
  return Object.keys(names).join(", ");
}

/** An argument: numbers, flags and null as they are, strings as functions, lists and calls resolved. */
function argument(spec: unknown, registry: Registry, path: string): unknown {
  if (typeof spec === "string") {
    const f = ownValue(registry.functions, spec);
    if (f === undefined) throw new ExperimentError(`${path}: unknown function "${spec}" (known: ${known(registry.functions) || "none here"})`);
    return f;
  }
  if (Array.isArray(spec)) return spec.map((s, i) => argument(s, registry, `${path}[${i}]`));
  if (isPlainObject(spec)) {
    const [key] = Object.keys(spec);
    if (Object.keys(spec).length === 1 && /^[A-Z]/.test(key!)) return construct(spec, registry, path);
    return Object.fromEntries(Object.entries(spec).map(([k, v]) => [k, isPlainObject(v) || Array.isArray(v) ? argument(v, registry, `${path}.${k}`) : v]));
  }
  return spec;
}

/** Calls the constructor a spec names (see the file comment); errors name the spec's path. */
export function construct(spec: unknown, registry: Registry, path: string): unknown {
  const [name, args] = typeof spec === "string" ? [spec, []] : isPlainObject(spec) && Object.keys(spec).length === 1 ? Object.entries(spec)[0]! : [undefined, undefined];
  if (name === undefined) throw new ExperimentError(`${path}: expected a call such as { "Name": [arguments] } or "Name", got ${JSON.stringify(spec)}`);
  const constructor = ownValue(registry.constructors, name);
  if (constructor === undefined) throw new ExperimentError(`${path}: unknown name "${name}" (known: ${known(registry.constructors)})`);
  const where = `${path}.${name}`;
  const values = Array.isArray(args) ? args.map((a, i) => argument(a, registry, `${where}[${i}]`)) : [argument(args, registry, where)];
  try {
    return (constructor as (...xs: unknown[]) => unknown)(...values);
  } catch (e) {
    throw new ExperimentError(`${where}: ${(e as Error).message}`);
  }
}
