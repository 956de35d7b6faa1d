/**
 * What Flux's recurrent cells share (RNNCell, LSTMCell, GRUCell, GRUv3Cell): a call returns
 * `[output, newState]`, the state defaults to zeros (`initialstates`), and the input projection
 * `Wi x .+ b` is separate from the recurrent step, so a sequence layer projects every time step in one
 * matrix product before it unrolls the steps.
 */
import { ShapeError, Tensor, add, full, getindex, matmul, type NdArray, type TensorLike } from "@tsflux/graph";
import { LayerBase } from "./layer-base";
import { asTensor, matchParamType, sizeStr } from "../arrays";
import { withLayerContext } from "../layer-context";
import { checkDims } from "../random";
import { glorotUniform, type Initializer } from "../init";
import { zerosArray } from "@tsflux/graph";
import { dtypeOf } from "../arrays";

/** A state as a user passes it: tensors or ndarrays, nested as the cell's state is. */
export type StateInput<S> = S extends readonly [Tensor, Tensor] ? readonly [TensorLike, TensorLike] : TensorLike;

/** Options of the recurrent cells: bias and the initialisers of the input and recurrent kernels. */
export interface CellOptions {
  /** `true` (zeros, the default) or `false` (no bias: the field holds `false`). */
  bias?: boolean;
  /** Makes Wi, called as `init(gates·out, in)`; default `glorotUniform`. */
  init_kernel?: Initializer;
  /** Makes Wh, called as `init(gates·out, out)`; default `glorotUniform`. */
  init_recurrent_kernel?: Initializer;
}

/** Anything with Flux's cell contract, which `Recurrence` unrolls over a sequence. */
export interface RecurrentCell<S> {
  initialstates(): S;
  forward(x: TensorLike, state?: StateInput<S>): [Tensor, S];
}

/** The weights of a cell with `gates` blocks of `out` rows: [Wi, Wh, bias]. */
export function cellWeights(what: string, inDim: number, outDim: number, gates: number, opts: CellOptions): [NdArray, NdArray, NdArray | false] {
  checkDims(what, [inDim, outDim]);
  const wi = (opts.init_kernel ?? glorotUniform)(gates * outDim, inDim);
  const wh = (opts.init_recurrent_kernel ?? glorotUniform)(gates * outDim, outDim);
  return [wi, wh, opts.bias === false ? false : zerosArray([gates * outDim], dtypeOf(wh)!)];
}

/** Rows k·n+1 : (k+1)·n of a gate array [gates·n] or [gates·n, batch] (MLUtils' `chunk(g, gates; dims=1)[k+1]`). */
export function gateBlock(g: Tensor, k: number, n: number): Tensor {
  const rows: [number, number] = [k * n + 1, (k + 1) * n];
  return g.shape.length === 1 ? getindex(g, rows) : getindex(g, rows, ":");
}

export abstract class CellBase<S> extends LayerBase implements RecurrentCell<S> {
  abstract Wi: NdArray | Tensor;
  abstract Wh: NdArray | Tensor;

  /** The bias added to the input projection (Flux's `bias`, or GRU's `b`). */
  protected abstract inputBias(): NdArray | Tensor | false;

  /** One step from the projected input `Wi x .+ b` ([gates·out] or [gates·out, batch]). */
  abstract step(projected: Tensor, state: S): [Tensor, S];

  /** Flux's `initialstates`: zeros of size [out] in the weights' element type. */
  abstract initialstates(): S;

  /** Tensors from a state as a user passes it. */
  abstract asState(state: StateInput<S>): S;

  get outDim(): number {
    return this.Wh.shape[1]!;
  }

  /** Wi x .+ b for x of size [in] or [in, n]. */
  project(input: Tensor): Tensor {
    const inDim = this.Wi.shape[1]!;
    if (input.shape[0] !== inDim || input.shape.length > 2) {
      throw new ShapeError(`expected input of size [${inDim}] or [${inDim}, batch], got x of size ${sizeStr(input.shape)}`);
    }
    const x = matchParamType(input, this.Wi);
    const b = this.inputBias();
    const wx = matmul(this.Wi, x);
    return b === false ? wx : add(wx, b);
  }

  /** Zeros of size [out] in the weights' element type. */
  protected zeroState(): Tensor {
    return full(0, [this.outDim], dtypeOf(this.Wh)!);
  }

  /** One step: `[output, newState]` from x [in] or [in, batch] and the state (zeros when left out). */
  forward(x: TensorLike, state?: StateInput<S>): [Tensor, S] {
    return withLayerContext(this, () => this.step(this.project(asTensor(x)), state === undefined ? this.initialstates() : this.asState(state)));
  }

  /** `in => out` as Flux prints a cell. */
  protected dimsString(): string {
    return `${this.Wi.shape[1]} => ${this.outDim}`;
  }
}
