/** Experiments written as JSON: constructor calls, defaults, and errors that name the field. */
import { Chain, Dense, relu, softmax, logitcrossentropy, mse } from "@tsflux/layers";
import { Adam, ClipNorm, OptimiserChain } from "@tsflux/optim";
import { ExperimentError, fromJson, resolveExperiment, DEFAULT_BATCHSIZE } from "@tsflux/cli";
import { SMALL_EXPERIMENT } from "./helpers";

test("model, data and optimiser are constructor calls; the defaults are filled in", () => {
  const spec = { ...SMALL_EXPERIMENT, batchsize: undefined, loss: undefined };
  const e = resolveExperiment(fromJson(JSON.parse(JSON.stringify(spec)), "tiny.json"));
  expect(e.name).toBe("tiny");
  expect(String(e.model)).toBe(String(Chain(Dense(784, 32, relu), Dense(32, 10))));
  expect(e.model).toBeInstanceOf(Chain);
  expect(String(e.optimiser)).toBe(String(Adam(0.003)));
  expect(e.loss).toBe(logitcrossentropy);
  expect(e.batchsize).toBe(DEFAULT_BATCHSIZE);
  expect(e.data.train.x.shape).toEqual([784, 256]);
  expect(e.data.test!.y.shape).toEqual([10, 128]);
});

test("calls nest, strings name activations, an options object is passed as one argument", () => {
  const e = fromJson({
    model: { Chain: [{ Dense: [4, 3, "relu", { bias: false }] }, "softmax"] },
    data: { mnist: { train: 1, test: 1 } },
    optimiser: { OptimiserChain: [{ ClipNorm: [1] }, { Adam: { eta: 0.01 } }] },
    loss: "mse",
    epochs: 1,
  }, "nested.json");
  const model = (e.model as () => Chain)();
  expect(String(model)).toBe(String(Chain(Dense(4, 3, relu, { bias: false }), softmax)));
  expect(String(e.optimiser)).toBe(String(OptimiserChain(ClipNorm(1), Adam({ eta: 0.01 }))));
  expect(e.loss).toBe(mse);
  expect(e.name).toBe("nested");
});

describe("mistakes are ExperimentErrors naming the field", () => {
  const base = JSON.parse(JSON.stringify(SMALL_EXPERIMENT)) as Record<string, unknown>;
  const error = (spec: object) => {
    try {
      resolveExperiment(fromJson(spec, "x.json"));
    } catch (e) {
      expect(e).toBeInstanceOf(ExperimentError);
      return (e as Error).message;
    }
    throw new Error("expected an ExperimentError");
  };

  test.each([
    ["an American spelling", { ...base, optimizer: base.optimiser }, 'x.json: unknown field optimizer (the field is spelt "optimiser", as in Flux); an experiment has name, seed, model, data, loss, optimiser, epochs, batchsize'],
    ["a missing field", { ...base, epochs: undefined }, 'x.json: the experiment needs "epochs"'],
    ["an unknown layer", { ...base, model: { Chain: [{ Dense2: [1, 2] }] } }, 'model.Chain[0]: unknown name "Dense2" (known: Chain, Dense, Dropout, LayerNorm, Scale, SkipConnection, Parallel, Conv, CrossCor, ConvTranspose, DepthwiseConv, MaxPool, MeanPool, GlobalMaxPool, GlobalMeanPool, AdaptiveMaxPool, AdaptiveMeanPool, Upsample, PixelShuffle, SamePad, BatchNorm, InstanceNorm, GroupNorm)'],
    ["an unknown activation", { ...base, model: { Dense: [784, 10, "rellu"] } }, 'model.Dense[2]: unknown function "rellu" (known: relu, sigmoid, σ, tanh, softmax, logsoftmax, softplus, leakyrelu, elu, gelu, swish, identity, flatten)'],
    ["an unknown loss", { ...base, loss: "hinge" }, 'x.json: unknown loss "hinge" (known: logitcrossentropy, crossentropy, mse, mae, huberLoss, binarycrossentropy, logitbinarycrossentropy, kldivergence)'],
    ["an unknown rule", { ...base, optimiser: "Adamm" }, 'optimiser: unknown name "Adamm" (known: Descent, Momentum, Nesterov'],
    ["a rule's own complaint", { ...base, optimiser: { Adam: [-1] } }, "optimiser.Adam: Adam: the learning rate cannot be negative (eta = -1)"],
    ["a layer's own complaint", { ...base, model: { Dense: [784, -1] } }, "model.Dense: Dense: sizes must be non-negative integers, got (784, -1)"],
    ["zero epochs", { ...base, epochs: 0 }, "experiment tiny: epochs must be a positive whole number, got 0"],
    ["a fractional batch size", { ...base, batchsize: 2.5 }, "experiment tiny: batchsize must be a positive whole number, got 2.5"],
    ["an unknown dataset", { ...base, data: { cifar: {} } }, 'data: unknown name "cifar" (known: mnist)'],
    ["not an object", [1, 2], "x.json: an experiment must be a JSON object"],
  ])("%s", (_what, spec, message) => {
    expect(error(spec)).toContain(message);
  });
});
