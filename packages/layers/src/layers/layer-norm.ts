/**
 * LayerNorm (Flux's `LayerNorm`): normalises over the leading `size` dims with Flux's `normalise`,
 * (x - μ) / (σ + ϵ) with σ the population standard deviation, then applies a learnable Scale.
 */
import { abs2, add, div, mean, sqrt, sub, type Tensor } from "@tsflux/graph";
import { Layer, activate } from "./layer";
import { identity, type Activation } from "../activations";
import { callable } from "../callable";
import { Scale, sizeArgs } from "./scale";
import { withChildPath } from "../layer-context";
import { matchParamType, requireLeadingSizes } from "../arrays";
import { showChildren, showCompact } from "../show/protocol";
import { compactString } from "../show/compact";

/** Options of `LayerNorm`: affine parameters and epsilon. */
export interface LayerNormOptions {
  /** Learnable scale and bias (default true). */
  affine?: boolean;
  /** Added to σ (default 1e-5). */
  eps?: number;
}

/** The class of `LayerNorm(...)` layers. */
export class LayerNormLayer extends Layer {
  activation: Activation;
  /** The learnable Scale (which applies the activation), or `null` without `affine`. */
  diag: Scale | null;
  eps: number;
  size: number[];
  affine: boolean;

  constructor(...args: [number, ...(number | Activation | LayerNormOptions)[]]) {
    super();
    const { size, activation, opts } = sizeArgs<LayerNormOptions>("LayerNorm", args);
    const affine = opts.affine ?? true;
    this.activation = activation;
    this.diag = affine ? Scale(...(size as [number, ...number[]]), activation) : null;
    this.eps = opts.eps ?? 1e-5;
    this.size = size;
    this.affine = affine;
  }

  protected run(input: Tensor): Tensor {
    requireLeadingSizes(input, this.size);
    const x = this.diag ? matchParamType(input, this.diag.scale) : input;
    const dims = this.size.map((_, d) => d + 1);
    const centred = sub(x, mean(x, { dims }));
    const sigma = sqrt(mean(abs2(centred), { dims }));
    // Flux's normalise: (x - μ) / (σ + ϵ); its derivative flows through μ and σ as well
    const normalised = div(centred, add(sigma, this.eps));
    if (this.diag) {
      const diag = this.diag;
      return withChildPath(".diag", diag, () => diag.forward(normalised));
    }
    return activate(this.activation, normalised);
  }

  override [showCompact](): string {
    const activation = this.activation === identity ? "" : `, ${compactString(this.activation)}`;
    return `LayerNorm(${this.size.join(", ")}${activation}${this.affine ? "" : ", affine=false"})`;
  }

  /** Always one line (Flux's `@layer :noexpand`). */
  override [showChildren](): null {
    return null;
  }
}

/**
 * `LayerNorm(size..., activation?, { affine, eps })`. Fields as Flux's: `activation` (λ), `diag`
 * (a Scale), `eps`, `size`, `affine`.
 */
export const LayerNorm = callable(LayerNormLayer, "LayerNorm");
export type LayerNorm = LayerNormLayer;
