/**
 * Dropout (Flux's `Dropout`): in training mode each element is kept with probability 1 - p and scaled
 * by 1 / (1 - p), else zeroed. The mask is a `randomUniform` node, so a compiled plan draws a fresh
 * one on every run. `active` is `null` by default (automatic): active while differentiating
 * (`gradient`, `withgradient`, `train`) and the identity in a plain forward call, as Flux documents;
 * force a mode with `trainmode(model)` / `testmode(model)`.
 */
import { astype, greater, isDifferentiating, mul, randomUniform, type Tensor } from "@tsflux/graph";
import { Layer } from "./layer";
import { callable } from "../callable";
import { ArgumentError } from "../errors";
import { showCompact } from "../show/protocol";
import { juliaNumber } from "../show/format";

/** `":"` (one draw per element) or the dims (1-based) along which the mask varies; it is shared along the rest. */
export type DropoutDims = ":" | number | readonly number[];

/** Options of `Dropout`: the dims dropped together and the mode. */
export interface DropoutOptions {
  dims?: DropoutDims;
  /** `true` training, `false` test, `null` automatic (active while differentiating). */
  active?: boolean | null;
}

/** The class of `Dropout(...)` layers. */
export class DropoutLayer extends Layer {
  p: number;
  dims: DropoutDims;
  active: boolean | null;

  constructor(p: number, opts: DropoutOptions = {}) {
    super();
    if (!(p >= 0 && p <= 1)) throw new ArgumentError(`Dropout expects 0 ≤ p ≤ 1, got p = ${juliaNumber(p)}`);
    this.p = p;
    this.dims = opts.dims ?? ":";
    this.active = opts.active ?? null;
  }

  /** No trainable arrays (Flux's `trainable=()`). */
  trainable(): Record<string, unknown> {
    return {};
  }

  protected run(x: Tensor): Tensor {
    if (!(this.active ?? isDifferentiating()) || this.p === 0) return x;
    // p = 1 drops everything; 1 / (1 - p) would be infinite
    if (this.p === 1) return mul(x, 0);
    const dims = this.dims === ":" ? undefined : typeof this.dims === "number" ? [this.dims] : this.dims;
    const maskShape = dims === undefined ? x.shape : x.shape.map((n, d) => (dims.includes(d + 1) ? n : 1));
    const keep = astype(greater(randomUniform(maskShape, x.dtype), this.p), x.dtype);
    // y = x · keep / (1 - p), so dy/dx = keep / (1 - p)
    return mul(x, mul(keep, 1 / (1 - this.p)));
  }

  override [showCompact](): string {
    const dims = this.dims === ":" ? "" : `, dims=${typeof this.dims === "number" ? this.dims : `(${this.dims.join(", ")}${this.dims.length === 1 ? "," : ""})`}`;
    const active = this.active === null ? "" : `, active=${this.active}`;
    return `Dropout(${juliaNumber(this.p)}${dims}${active})`;
  }
}

/** `Dropout(p, { dims, active })`. Fields: `p`, `dims`, `active`; nothing trainable. */
export const Dropout = callable(DropoutLayer, "Dropout");
export type Dropout = DropoutLayer;
