/** @tsflux/layers: Flux's layers, activations, losses and utilities, printed as Flux prints them. */
export { Layer, type LayerLike } from "./layers/layer";
export { Chain } from "./layers/chain";
export { Dense, type DenseOptions } from "./layers/dense";
export { Parallel, type Connection } from "./layers/parallel";
export { SkipConnection } from "./layers/skip-connection";
export { Dropout, type DropoutOptions, type DropoutDims } from "./layers/dropout";
export { Scale, type ScaleOptions } from "./layers/scale";
export { LayerNorm, type LayerNormOptions } from "./layers/layer-norm";
export { Conv, CrossCor, DepthwiseConv, type ConvOptions } from "./layers/conv";
export { ConvTranspose, type ConvTransposeOptions } from "./layers/conv-transpose";
export { SamePad, type Padding } from "./layers/conv-options";
export { MaxPool, MeanPool, GlobalMaxPool, GlobalMeanPool, AdaptiveMaxPool, AdaptiveMeanPool, type PoolOptions } from "./layers/pooling";
export { flatten, Upsample, PixelShuffle, type UpsampleOptions, type UpsampleMode } from "./layers/resample";
export { BatchNorm, InstanceNorm, GroupNorm, type NormOptions } from "./layers/normalise";
export { outputsize } from "./outputsize";
export type { Children } from "./layers/children";
export { callable } from "./callable";
export { testmode, trainmode, type Mode } from "./mode";

export { sigmoid, σ, relu, leakyrelu, elu, gelu, swish, tanh, softplus, softmax, logsoftmax, identity, type Activation } from "./activations";
export {
  mse, mae, huberLoss, crossentropy, logitcrossentropy, binarycrossentropy, logitbinarycrossentropy, kldivergence,
  type Aggregate, type LossOptions, type DimsLossOptions, type EpsLossOptions, type CrossentropyOptions, type HuberOptions,
} from "./losses";

export { randn32, rand32, zeros32, ones32, type RngDims } from "./random";
export { glorotUniform, glorotNormal, kaimingUniform, kaimingNormal, nfan, type Initializer, type InitFunction, type InitOptions } from "./init";
export { onehotbatch, onecold, type Labels } from "./onehot";
export { DataLoader, type DataLoaderOptions, type Batchable } from "./dataloader";
export { trainables, f32, f64 } from "./tree";
export { fmap, leaves, structure } from "@tsflux/graph";
export { ArgumentError, StateMismatchError, SafetensorsError } from "./errors";

export { state, loadmodel, type StateTree } from "./state/state";
export { savestate, loadstate, flattenState, unflattenState, STATE_METADATA, MODEL_METADATA } from "./state/state-file";
export { encodeSafetensors, decodeSafetensors, type SafetensorsContent } from "./state/safetensors";

export { bigShow, type BigShowOptions } from "./show/big-show";
export { compactString } from "./show/compact";
export { showCompact, showChildren, type ShowChild, type Showable } from "./show/protocol";
export { setDisplayName, functionName } from "./show/names";
export { underscorise, formatBytes } from "./show/format";
