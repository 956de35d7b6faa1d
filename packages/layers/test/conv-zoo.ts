/**
 * The convolutional half of the model zoo: every conv, pooling, shape and norm layer in small
 * configurations (stride, padding forms, dilation, groups, 1-d and 2-d). Norms that would update
 * their running statistics are checked separately (a gradient check evaluates the model many times).
 */
import {
  AdaptiveMaxPool, AdaptiveMeanPool, BatchNorm, Chain, Conv, ConvTranspose, CrossCor, Dense, DepthwiseConv, GlobalMaxPool,
  GlobalMeanPool, GroupNorm, InstanceNorm, MaxPool, MeanPool, PixelShuffle, SamePad, Upsample, flatten, identity, sigmoid, tanh,
} from "@tsflux/layers";
import type { ZooCase } from "./model-zoo";

export const CONV_MODELS: readonly ZooCase[] = [
  { name: "Conv((3, 3), 2 => 3, tanh, pad=1, stride=2)", build: () => Conv([3, 3], 2, 3, tanh, { pad: 1, stride: 2 }), input: [5, 5, 2, 2] },
  { name: "Conv((2,), 2 => 4, dilation=2, groups=2, bias=false)", build: () => Conv([2], 2, 4, identity, { dilation: 2, groups: 2, bias: false }), input: [6, 2, 2] },
  { name: "CrossCor((2, 2), 2 => 2, σ, pad=SamePad())", build: () => CrossCor([2, 2], 2, 2, sigmoid, { pad: SamePad() }), input: [4, 4, 2, 1] },
  { name: "DepthwiseConv((3, 3), 2 => 4) with per-side pad", build: () => DepthwiseConv([3, 3], 2, 4, identity, { pad: [1, 0, 0, 1] }), input: [5, 4, 2, 1] },
  { name: "ConvTranspose((3, 3), 2 => 3, tanh, stride=2, pad=1, outpad=1)", build: () => ConvTranspose([3, 3], 2, 3, tanh, { stride: 2, pad: 1, outpad: 1 }), input: [3, 3, 2, 1] },
  { name: "ConvTranspose((2,), 4 => 2, groups=2)", build: () => ConvTranspose([2], 4, 2, identity, { groups: 2 }), input: [3, 4, 2] },
  { name: "MaxPool((2, 2)) after a Conv", build: () => Chain(Conv([2, 2], 1, 2), MaxPool([2, 2])), input: [5, 5, 1, 2] },
  { name: "MeanPool((3,), pad=1, stride=2)", build: () => Chain(Conv([1], 2, 2), MeanPool([3], { pad: 1, stride: 2 })), input: [5, 2, 2] },
  { name: "GlobalMaxPool and GlobalMeanPool", build: () => Chain(Conv([2, 2], 2, 2, tanh), GlobalMaxPool(), Conv([1, 1], 2, 2), GlobalMeanPool()), input: [4, 3, 2, 2] },
  { name: "AdaptiveMaxPool((2, 2)) and AdaptiveMeanPool((2, 1))", build: () => Chain(Conv([1, 1], 2, 2), AdaptiveMaxPool([2, 2]), AdaptiveMeanPool([2, 1])), input: [5, 6, 2, 1] },
  { name: "Upsample(:nearest, scale = 2) and Upsample(:bilinear, size = (5, 4))", build: () => Chain(Conv([1, 1], 2, 2), Upsample(2), Upsample("bilinear", { size: [5, 4] })), input: [3, 2, 2, 1] },
  { name: "PixelShuffle(2)", build: () => Chain(Conv([1, 1], 8, 8), PixelShuffle(2)), input: [2, 2, 8, 1] },
  { name: "BatchNorm(2, tanh, active=false, eps=1): running statistics (eps keeps random variances positive)", build: () => BatchNorm(2, tanh, { active: false, eps: 1 }), input: [3, 2, 2, 2] },
  { name: "BatchNorm(3, active=true, track_stats=false) on [C, N]", build: () => BatchNorm(3, identity, { active: true, track_stats: false }), input: [3, 4] },
  { name: "InstanceNorm(2, affine=true)", build: () => InstanceNorm(2, identity, { affine: true }), input: [3, 3, 2, 2] },
  { name: "GroupNorm(4, 2, tanh)", build: () => GroupNorm(4, 2, tanh), input: [3, 2, 4, 2] },
  { name: "LeNet-like Chain with flatten", build: () => Chain(Conv([3, 3], 1, 2, tanh), MaxPool([2, 2]), flatten, Dense(8, 3)), input: [6, 6, 1, 2] },
];
