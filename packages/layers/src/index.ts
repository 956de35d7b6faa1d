/**
 * `@tsflux/layers`: Flux's layers, activations, losses and utilities, printed as Flux prints them.
 *
 * @module @tsflux/layers
 */
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
// the classes behind the constructors, so a consumer's declaration files can name a model's type
export type { ChainLayer } from "./layers/chain";
export type { DenseLayer } from "./layers/dense";
export type { DropoutLayer } from "./layers/dropout";
export type { LayerNormLayer } from "./layers/layer-norm";
export type { ParallelLayer } from "./layers/parallel";
export type { ScaleLayer } from "./layers/scale";
export type { SkipConnectionLayer } from "./layers/skip-connection";
export { LayerBase } from "./layers/layer-base";
export { RNNCell, LSTMCell } from "./layers/recurrent-cells";
export { GRUCell, GRUv3Cell } from "./layers/gru-cells";
export { RNN, LSTM, GRU, GRUv3, Recurrence } from "./layers/recurrent";
export type { CellOptions, RecurrentCell, StateInput } from "./layers/cell-base";
export { Embedding, type EmbeddingOptions } from "./layers/embedding";
export { MultiHeadAttention, type MultiHeadAttentionOptions, type AttentionCallOptions, type AttentionDims } from "./layers/attention";
export { makeCausalMask } from "@tsflux/graph";
export { Bilinear, type BilinearOptions } from "./layers/bilinear";
export { Maxout } from "./layers/maxout";
export { PairwiseFusion } from "./layers/pairwise-fusion";
export { callable } from "./callable";
export { testmode, trainmode, type Mode } from "./mode";

export * from "./activations";
export {
  selu, celu, mish, hardtanh, relu6, logsigmoid, logσ, hardsigmoid, hardσ, tanhshrink, softshrink, trelu, thresholdrelu, lisht,
} from "./activations-more";
export {
  mse, mae, huberLoss, crossentropy, logitcrossentropy, binarycrossentropy, logitbinarycrossentropy, kldivergence,
  type Aggregate, type LossOptions, type DimsLossOptions, type EpsLossOptions, type CrossentropyOptions, type HuberOptions,
} from "./losses";
export {
  focalLoss, binaryFocalLoss, diceCoeffLoss, tverskyLoss, hingeLoss, squaredHingeLoss, poissonLoss, siamesecontrastiveLoss, type FocalOptions,
} from "./losses-more";
export { ctcLoss } from "./losses-ctc";

export { randn32, rand32, zeros32, ones32, type RngDims } from "./random";
export { glorotUniform, glorotNormal, kaimingUniform, kaimingNormal, nfan, type Initializer, type InitFunction, type InitOptions } from "./init";
export { onehotbatch, onecold, type Labels } from "./onehot";
export { DataLoader, type DataLoaderOptions, type Batchable } from "./dataloader";
export { trainables, f32, f64 } from "./tree";
export { destructure, type Restructure } from "./destructure";
export { modules } from "./modules";
export { cpu, gpu, f16, roundToFloat16 } from "./devices";
export { jacobian } from "./jacobian";
export { fmap, leaves, structure, compiled } from "@tsflux/graph";
export { ArgumentError, StateMismatchError, SafetensorsError, FileWriteError } from "./errors";
export { writeFileAtomic, checkWritable } from "./files/write-atomic";

export { state, loadmodel, type StateTree } from "./state/state";
export { savestate, loadstate, flattenState, unflattenState, STATE_METADATA, MODEL_METADATA } from "./state/state-file";
export { encodeSafetensors, decodeSafetensors, type SafetensorsContent } from "./state/safetensors";

export { bigShow, type BigShowOptions } from "./show/big-show";
export { compactString } from "./show/compact";
export { showCompact, showChildren, type ShowChild, type Showable } from "./show/protocol";
export { setDisplayName, functionName } from "./show/names";
export { underscorise } from "./show/format";
export { formatBytes } from "@tsflux/graph";
