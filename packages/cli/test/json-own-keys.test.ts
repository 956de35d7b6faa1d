/** A JSON experiment names only the table's own entries: what every object inherits (`constructor`, `__proto__`, `toString`) is unknown. */
import { ExperimentError, fromJson, resolveExperiment } from "@tsflux/cli";
import { SMALL_EXPERIMENT } from "./helpers";

const base = JSON.parse(JSON.stringify(SMALL_EXPERIMENT)) as Record<string, unknown>;
const INHERITED = ["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf", "__defineGetter__"];
const LAYERS = "Chain, Dense, Dropout, LayerNorm, Scale, SkipConnection, Parallel, Conv, CrossCor, ConvTranspose, DepthwiseConv, MaxPool, MeanPool, GlobalMaxPool, GlobalMeanPool, AdaptiveMaxPool, AdaptiveMeanPool, Upsample, PixelShuffle, SamePad, BatchNorm, InstanceNorm, GroupNorm";
const ACTIVATIONS = "relu, sigmoid, σ, tanh, softmax, logsoftmax, softplus, leakyrelu, elu, gelu, swish, identity, flatten";
const LOSSES = "logitcrossentropy, crossentropy, mse, mae, huberLoss, binarycrossentropy, logitbinarycrossentropy, kldivergence";

/** The message of the ExperimentError that reading and resolving `spec` (as parsed from a file) throws. */
function error(spec: object): string {
  const parsed = JSON.parse(JSON.stringify(spec)) as object; // keys as JSON.parse makes them: "__proto__" is an own key
  try {
    resolveExperiment(fromJson(parsed, "x.json"));
  } catch (e) {
    expect(e).toBeInstanceOf(ExperimentError);
    return (e as Error).message;
  }
  throw new Error("expected an ExperimentError");
}

const inheritedNames = () => Object.getOwnPropertyNames(Object.prototype).sort();

describe.each(INHERITED)("%s", (name) => {
  const before = inheritedNames();
  afterEach(() => {
    expect(inheritedNames()).toEqual(before);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  test("as a layer", () => {
    expect(error({ ...base, model: name })).toBe(`model: unknown name "${name}" (known: ${LAYERS})`);
  });

  test("as a call", () => {
    expect(error({ ...base, model: { [name]: [{ polluted: true }] } })).toBe(`model: unknown name "${name}" (known: ${LAYERS})`);
  });

  test("as an activation", () => {
    expect(error({ ...base, model: { Chain: [{ Dense: [784, 10, name] }] } })).toBe(`model.Chain[0].Dense[2]: unknown function "${name}" (known: ${ACTIVATIONS})`);
  });

  test("as a rule", () => {
    expect(error({ ...base, optimiser: name })).toMatch(new RegExp(`^optimiser: unknown name "${name}" \\(known: Descent, `));
  });

  test("as a dataset", () => {
    expect(error({ ...base, data: { [name]: { train: 1 } } })).toBe(`data: unknown name "${name}" (known: mnist)`);
  });

  test("as a loss", () => {
    expect(error({ ...base, loss: name })).toBe(`x.json: unknown loss "${name}" (known: ${LOSSES})`);
  });
});
