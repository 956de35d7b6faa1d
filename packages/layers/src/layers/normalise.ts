/**
 * BatchNorm, InstanceNorm and GroupNorm (Flux's normalise.jl `_norm_layer_forward`). Active (training)
 * layers normalise with the batch statistics and, with `track_stats`, update the running mean and
 * unbiased variance in place (`mu = (1-momentum) mu + momentum μ`); inactive ones use the running
 * statistics. In the automatic mode (`active === null`) a layer is active while differentiating.
 */
import {
  ShapeError, abs2, add, assign, div, isDifferentiating, mean, mul, reshape, sqrt, stopGradient, sub, type NdArray, type Tensor,
} from "@tsflux/graph";
import { Layer, activate } from "./layer";
import { identity, type Activation } from "../activations";
import { callable } from "../callable";
import { ArgumentError } from "../errors";
import { matchParamType, sizeStr } from "../arrays";
import { ones32, zeros32 } from "../random";
import { showCompact } from "../show/protocol";
import { compactString } from "../show/compact";

/** Options of BatchNorm, InstanceNorm and GroupNorm: affine parameters, running statistics, mode, epsilon, momentum, initialisers. */
export interface NormOptions {
  /** Learnable shift beta and scale gamma (BatchNorm and GroupNorm: true; InstanceNorm: false). */
  affine?: boolean;
  /** Keep running statistics (BatchNorm: true; InstanceNorm: false; GroupNorm has none). */
  track_stats?: boolean;
  /** `true` training, `false` testing, `null` automatic (active while differentiating). */
  active?: boolean | null;
  eps?: number;
  momentum?: number;
  initBeta?: (n: number) => NdArray;
  initGamma?: (n: number) => NdArray;
}

type Kind = "BatchNorm" | "InstanceNorm" | "GroupNorm";

abstract class NormLayer extends Layer {
  activation: Activation;
  /** Shift `[chs]`, or null without affine. */
  beta: NdArray | null;
  /** Scale `[chs]`, or null without affine. */
  gamma: NdArray | null;
  /** Running mean `[chs]` (not trainable), or null without track_stats. */
  mu: NdArray | null;
  /** Running variance `[chs]` (not trainable), or null without track_stats. */
  sigma2: NdArray | null;
  eps: number;
  momentum: number;
  affine: boolean;
  track_stats: boolean;
  active: boolean | null;
  chs: number;

  constructor(kind: Kind, chs: number, activation: Activation | undefined, opts: NormOptions, defaults: { affine: boolean; track: boolean }) {
    super();
    if (!Number.isInteger(chs) || chs < 1) throw new ArgumentError(`${kind}: the number of channels must be a positive integer, got ${chs}`);
    this.activation = activation ?? identity;
    this.affine = opts.affine ?? defaults.affine;
    this.track_stats = opts.track_stats ?? defaults.track;
    this.beta = this.affine ? (opts.initBeta ?? ((n) => zeros32(n)))(chs) : null;
    this.gamma = this.affine ? (opts.initGamma ?? ((n) => ones32(n)))(chs) : null;
    this.mu = this.track_stats ? zeros32(chs) : null;
    this.sigma2 = this.track_stats ? ones32(chs) : null;
    this.eps = opts.eps ?? 1e-5;
    this.momentum = opts.momentum ?? 0.1;
    this.active = opts.active ?? null;
    this.chs = chs;
  }

  /** Only beta and gamma train (Flux's `trainable`); mu and sigma2 are state. */
  trainable(): Record<string, unknown> {
    return { beta: this.beta, gamma: this.gamma };
  }

  /** Whether this call trains: forced by `active`, else while differentiating. */
  protected isActive(): boolean {
    return this.active ?? isDifferentiating();
  }

  /**
   * Normalises `x` over `dims` (1-based) with per-channel `affineShape`; `statsDims` (1-based dims of the
   * batch statistics) are averaged before updating the running statistics of `[chs]`.
   */
  protected normalise(x: Tensor, dims: number[], affineShape: number[], statsDims: number[]): Tensor {
    const active = this.isActive();
    let mu: Tensor | NdArray, variance: Tensor | NdArray;
    if (!active && this.mu && this.sigma2) {
      mu = reshape(this.mu, affineShape);
      variance = reshape(this.sigma2, affineShape);
    } else {
      const m = mean(x, { dims });
      mu = m;
      variance = mean(abs2(sub(x, m)), { dims });
      if (this.mu && this.sigma2) this.updateStats(m, variance as Tensor, dims.reduce((n, d) => n * x.shape[d - 1]!, 1), statsDims);
    }
    const invStd = div(1, sqrt(add(variance, this.eps)));
    if (!this.beta || !this.gamma) return activate(this.activation, mul(sub(x, mu), invStd));
    const scale = mul(reshape(this.gamma, affineShape), invStd);
    const shift = sub(reshape(this.beta, affineShape), mul(scale, mu));
    return activate(this.activation, add(mul(scale, x), shift));
  }

  /** running = (1 - momentum) running + momentum * batch (variance with the m / (m - 1) correction), in place. */
  private updateStats(mu: Tensor, variance: Tensor, m: number, statsDims: number[]): void {
    const perChannel = (t: Tensor) => reshape(stopGradient(statsDims.length ? mean(t, { dims: statsDims }) : t), [this.chs]);
    const k = this.momentum;
    assign(this.mu!, add(mul(this.mu!, 1 - k), mul(perChannel(mu), k)));
    assign(this.sigma2!, add(mul(this.sigma2!, 1 - k), mul(perChannel(variance), (k * m) / (m - 1))));
  }

  /** The input in the parameters' element type (as Flux's `_match_eltype`). */
  protected inParamType(x: Tensor): Tensor {
    const param = this.gamma ?? this.mu;
    return param ? matchParamType(x, param) : x;
  }

  protected requireChannels(kind: string, x: Tensor, minRank: number): void {
    const n = x.shape.length;
    if (n < minRank || x.shape[n - 2] !== this.chs) {
      throw new ShapeError(`${kind}(${this.chs}) expects size(x, ${Math.max(n - 1, 1)}) == ${this.chs} channels, got x of size ${sizeStr(x.shape)}`);
    }
  }

  /** `(chs[, λ][, affine=false][, active=…])` after the name and leading numbers. */
  protected describe(head: string): string {
    const activation = this.activation === identity ? "" : `, ${compactString(this.activation)}`;
    const affine = this.affine ? "" : ", affine=false";
    const active = this.active === null ? "" : `, active=${this.active}`;
    return `${head}${activation}${affine}${active})`;
  }
}

const channelShape = (n: number, c: number, at: number) => Array.from({ length: n }, (_, i) => (i === at ? c : 1));

class BatchNormLayer extends NormLayer {
  constructor(chs: number, activation?: Activation, opts: NormOptions = {}) {
    super("BatchNorm", chs, activation, opts, { affine: true, track: true });
  }
  protected run(input: Tensor): Tensor {
    this.requireChannels("BatchNorm", input, 2);
    const x = this.inParamType(input);
    const n = x.shape.length;
    const dims = [...Array.from({ length: n - 2 }, (_, i) => i + 1), n];
    return this.normalise(x, dims, channelShape(n, this.chs, n - 2), []);
  }
  override [showCompact](): string {
    return this.describe(`BatchNorm(${this.chs}`);
  }
}

class InstanceNormLayer extends NormLayer {
  constructor(chs: number, activation?: Activation, opts: NormOptions = {}) {
    super("InstanceNorm", chs, activation, opts, { affine: false, track: false });
  }
  protected run(input: Tensor): Tensor {
    this.requireChannels("InstanceNorm", input, 3);
    const x = this.inParamType(input);
    const n = x.shape.length;
    return this.normalise(x, Array.from({ length: n - 2 }, (_, i) => i + 1), channelShape(n, this.chs, n - 2), [n]);
  }
  override [showCompact](): string {
    return this.describe(`InstanceNorm(${this.chs}`);
  }
}

class GroupNormLayer extends NormLayer {
  G: number;
  constructor(chs: number, G: number, activation?: Activation, opts: Omit<NormOptions, "track_stats"> = {}) {
    super("GroupNorm", chs, activation, { ...opts, track_stats: false }, { affine: true, track: false });
    if (!Number.isInteger(G) || G < 1 || chs % G !== 0) throw new ArgumentError(`GroupNorm: the number of groups ${G} must divide the number of channels ${chs}`);
    this.G = G;
  }
  protected run(input: Tensor): Tensor {
    this.requireChannels("GroupNorm", input, 3);
    const x = this.inParamType(input);
    const n = x.shape.length, per = this.chs / this.G;
    // channels c = j + (g-1) C/G: reshape to [spatial..., C/G, G, N] and normalise each (group, sample)
    const x2 = reshape(x, [...x.shape.slice(0, n - 2), per, this.G, x.shape[n - 1]!]);
    const affineShape = Array.from({ length: n + 1 }, (_, i) => (i === n - 2 ? per : i === n - 1 ? this.G : 1));
    const y = this.normalise(x2, Array.from({ length: n - 1 }, (_, i) => i + 1), affineShape, []);
    return reshape(y, x.shape);
  }
  override [showCompact](): string {
    return this.describe(`GroupNorm(${this.chs}, ${this.G}`);
  }
}

/**
 * `BatchNorm(chs, activation?, { momentum, eps, affine, track_stats, active })`, with or without `new`.
 * Fields `activation`, `beta`, `gamma` (trainable), `mu`, `sigma2` (running statistics), `eps`,
 * `momentum`, `affine`, `track_stats`, `active`, `chs`.
 *
 * @example
 * String(Chain(Dense(2, 6), BatchNorm(6)));  // the BatchNorm line: "BatchNorm(6),  # 12 parameters, plus 12"
 */
export const BatchNorm = callable(BatchNormLayer, "BatchNorm");
export type BatchNorm = BatchNormLayer;
/** `InstanceNorm(chs, activation?, opts?)`: per sample and channel over the spatial dims; affine and track_stats default to false. */
export const InstanceNorm = callable(InstanceNormLayer, "InstanceNorm");
export type InstanceNorm = InstanceNormLayer;
/** `GroupNorm(chs, G, activation?, opts?)`: per sample over groups of chs/G contiguous channels and the spatial dims. */
export const GroupNorm = callable(GroupNormLayer, "GroupNorm");
export type GroupNorm = GroupNormLayer;
