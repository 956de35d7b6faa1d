/** Scale: elementwise `activation.(scale .* x .+ bias)` over the leading dims (Flux's `Scale`, used by LayerNorm). */
import { add, mul, longLivedZeros, type NdArray, type Tensor } from "@tsflux/graph";
import { Layer, activate } from "./layer";
import { identity, type Activation } from "../activations";
import { callable } from "../callable";
import { ArgumentError } from "../errors";
import { ones32, checkDims } from "../random";
import type { Initializer } from "../init";
import { dtypeOf, matchParamType, requireLeadingSizes } from "../arrays";
import { showCompact } from "../show/protocol";
import { compactString } from "../show/compact";

/** Options of `Scale`: bias and initialiser. */
export interface ScaleOptions {
  /** `true` (zeros, the default) or `false` (no bias). */
  bias?: boolean;
  /** Makes the scale, called with the sizes; default `ones32`. */
  init?: Initializer;
}

/** Splits `(size..., activation?, options?)`, the argument list of Scale and LayerNorm. */
export function sizeArgs<O extends object>(what: string, args: readonly unknown[]): { size: number[]; activation: Activation; opts: O } {
  const size = args.filter((a) => typeof a === "number") as number[];
  const rest = args.slice(size.length);
  const activation = typeof rest[0] === "function" ? (rest.shift() as Activation) : identity;
  const opts = (rest.shift() ?? {}) as O;
  if (size.length === 0 || args.slice(0, size.length).some((a) => typeof a !== "number") || rest.length > 0 || typeof opts !== "object") {
    throw new ArgumentError(`${what}: expected (size..., activation?, options?), got (${args.map(compactString).join(", ")})`);
  }
  return { size: checkDims(what, size), activation, opts };
}

/** The class of `Scale(...)` layers. */
export class ScaleLayer extends Layer {
  scale: NdArray;
  bias: NdArray | false;
  activation: Activation;

  constructor(...args: [number, ...(number | Activation | ScaleOptions)[]]) {
    super();
    const { size, activation, opts } = sizeArgs<ScaleOptions>("Scale", args);
    this.scale = (opts.init ?? ones32)(...size);
    this.bias = opts.bias === false ? false : longLivedZeros(size, dtypeOf(this.scale)!);
    this.activation = activation;
  }

  protected run(input: Tensor): Tensor {
    requireLeadingSizes(input, this.scale.shape);
    const x = matchParamType(input, this.scale);
    const scaled = mul(x, this.scale);
    const shifted = this.bias === false ? scaled : add(scaled, this.bias);
    return activate(this.activation, shifted);
  }

  override [showCompact](): string {
    const activation = this.activation === identity ? "" : `, ${compactString(this.activation)}`;
    return `Scale(${this.scale.shape.join(", ")}${activation}${this.bias === false ? "; bias=false" : ""})`;
  }
}

/** `Scale(size..., activation?, { bias, init })`. Fields: `scale`, `bias` (or `false`), `activation`. */
export const Scale = callable(ScaleLayer, "Scale");
export type Scale = ScaleLayer;
