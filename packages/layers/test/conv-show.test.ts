/** The convolutional layers print exactly as Flux prints them (examples from Flux's docstrings and show.jl rules). */
import {
  AdaptiveMaxPool, AdaptiveMeanPool, BatchNorm, Chain, Conv, ConvTranspose, CrossCor, Dense, DepthwiseConv, Dropout, GlobalMaxPool,
  GlobalMeanPool, GroupNorm, InstanceNorm, MaxPool, MeanPool, PixelShuffle, SamePad, Upsample, compactString, identity, relu, sigmoid,
} from "@tsflux/layers";

test.each(([
  [() => Conv([5, 5], 1, 6, relu), "Conv((5, 5), 1 => 6, relu)  # 156 parameters"],
  [() => Conv([5, 5], 3, 7, relu, { bias: false }), "Conv((5, 5), 3 => 7, relu, bias=false)  # 525 parameters"],
  [() => Conv([3], 4, 5, sigmoid), "Conv((3,), 4 => 5, σ)  # 65 parameters"],
  [() => Conv([2, 2], 3, 7, identity, { pad: SamePad() }), "Conv((2, 2), 3 => 7, pad=(1, 0, 1, 0))  # 91 parameters"],
  [() => Conv([3, 3], 4, 8, identity, { stride: [2, 1], dilation: 2, groups: 2 }), "Conv((3, 3), 4 => 8, stride=(2, 1), dilation=2, groups=2)  # 152 parameters"],
  [() => ConvTranspose([3], 5, 4, sigmoid), "ConvTranspose((3,), 5 => 4, σ)  # 64 parameters"],
  [() => ConvTranspose([3, 3], 2, 4, identity, { stride: 2, outpad: 1 }), "ConvTranspose((3, 3), 2 => 4, stride=2, outpad=(1, 1))  # 76 parameters"],
  [() => CrossCor([5, 5], 3, 6, relu, { bias: false }), "CrossCor((5, 5), 3 => 6, relu, bias=false)  # 450 parameters"],
  [() => DepthwiseConv([5, 5], 3, 6, relu, { bias: false }), "Conv((5, 5), 3 => 6, relu, groups=3, bias=false)  # 150 parameters"],
  [() => BatchNorm(64, relu), "BatchNorm(64, relu)  # 128 parameters, plus 128 non-trainable"],
  [() => BatchNorm(3, identity, { affine: false }), "BatchNorm(3, affine=false)"],
  [() => InstanceNorm(3), "InstanceNorm(3, affine=false)"],
  [() => GroupNorm(32, 4), "GroupNorm(32, 4)    # 64 parameters"],
  [() => GroupNorm(32, 4, relu, { affine: false, active: false }), "GroupNorm(32, 4, relu, affine=false, active=false)"],
  [() => MaxPool([2, 2]), "MaxPool((2, 2))"],
  [() => MaxPool([5], { pad: 2, stride: 3 }), "MaxPool((5,), pad=2, stride=3)"],
  [() => MeanPool([2, 2], { stride: 1 }), "MeanPool((2, 2), stride=1)"],
  [() => GlobalMaxPool(), "GlobalMaxPool()"],
  [() => GlobalMeanPool(), "GlobalMeanPool()"],
  [() => AdaptiveMaxPool([25, 25]), "AdaptiveMaxPool((25, 25))"],
  [() => AdaptiveMeanPool([5, 5]), "AdaptiveMeanPool((5, 5))"],
  [() => Upsample({ scale: 2 }), "Upsample(:nearest, scale = 2)"],
  [() => Upsample("bilinear", { size: [4, 5] }), "Upsample(:bilinear, size = (4, 5))"],
  [() => PixelShuffle(2), "PixelShuffle(2)"],
  [() => SamePad(), "SamePad()"],
] as const).map(([build, expected]) => [expected, build] as const))("%s", (expected, build) => {
  const layer = build();
  expect(String(layer)).toBe(expected);
  expect(compactString(layer)).toBe(expected.split("  #")[0]!.trim());
});

test("Chain(Conv(pad=SamePad()), MaxPool(pad=SamePad())) prints the computed padding (Flux's docstring)", () => {
  const m = Chain(Conv([5, 5], 3, 7, identity, { pad: SamePad() }), MaxPool([5, 5], { pad: SamePad() }));
  expect(String(m)).toBe(["Chain(", "  Conv((5, 5), 3 => 7, pad=2),          # 532 parameters", "  MaxPool((5, 5), pad=2),", ") "].join("\n"));
});

test("BatchNorm inside Chains: the non-trainable count, and the Total lines (Flux's docstring, bytes aside)", () => {
  const m2 = Chain(Chain(Dense(784, 64), BatchNorm(64, relu)), Dense(64, 10));
  const lines = String(m2).split("\n");
  expect(lines.slice(0, 7)).toEqual([
    "Chain(",
    "  Chain(",
    "    Dense(784 => 64),                   # 50_240 parameters",
    "    BatchNorm(64, relu),                # 128 parameters, plus 128",
    "  ),",
    "  Dense(64 => 10),                      # 650 parameters",
    ")         # Total: 6 trainable arrays, 51_018 parameters,",
  ]);
  expect(lines[7]).toMatch(/^ {10}# plus 2 non-trainable, 128 parameters, summarysize [\d.]+ KiB\.$/);
});

test("Dropout and BatchNorm with a forced mode print active=… (Flux PR #2222)", () => {
  const m = Chain(Dense(2, 3), Dropout(0.4, { active: true }), BatchNorm(3, identity, { active: true }));
  expect(String(m).split("\n").slice(1, 4)).toEqual([
    "  Dense(2 => 3),                        # 9 parameters",
    "  Dropout(0.4, active=true),",
    "  BatchNorm(3, active=true),            # 6 parameters, plus 6",
  ]);
});
