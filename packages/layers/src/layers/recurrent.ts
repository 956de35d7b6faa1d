/**
 * Flux 0.16's sequence layers: RNN, LSTM, GRU, GRUv3 (each wraps its cell, printed on one line) and
 * Recurrence (wraps any cell, printed expanded). `forward(x, state?)` maps [in, len, batch] (or
 * [in, len]) to [out, len, batch]; the state is zeros unless passed. `forwardWithState` also
 * returns the last state (Flux's `return_state=true`).
 */
import { tanh, type Tensor, type TensorLike } from "@tsflux/graph";
import { Layer } from "./layer";
import { callable } from "../callable";
import { asTensor } from "../arrays";
import { withLayerContext } from "../layer-context";
import { scan } from "./scan";
import { RNNCell, LSTMCell } from "./recurrent-cells";
import { GRUCell, GRUv3Cell } from "./gru-cells";
import { CellBase, type CellOptions, type RecurrentCell, type StateInput } from "./cell-base";
import type { Activation } from "../activations";
import { showChildren, showCompact } from "../show/protocol";
import { compactString, typeName } from "../show/compact";
import { ArgumentError } from "../errors";

abstract class SequenceLayer<S, C extends RecurrentCell<S> = RecurrentCell<S>> extends Layer {
  cell: C;

  constructor(cell: C) {
    super();
    if (typeof cell !== "object" || cell === null || typeof (cell as Partial<C>).forward !== "function" || typeof (cell as Partial<C>).initialstates !== "function") {
      throw new ArgumentError(`${new.target.name}: expected a recurrent cell (with forward and initialstates), got ${compactString(cell)}`);
    }
    this.cell = cell;
  }

  /** y [out, len, batch] from x [in, len, batch], starting from `state` (the cell's zeros when left out). */
  override forward(x: TensorLike, state?: StateInput<S>): Tensor {
    return this.forwardWithState(x, state)[0];
  }

  /** [y, last state]: Flux's `return_state=true`. */
  forwardWithState(x: TensorLike, state?: StateInput<S>): [Tensor, S] {
    return withLayerContext(this, () => {
      const cell = this.cell;
      const initial = state === undefined ? cell.initialstates() : cell instanceof CellBase ? (cell as CellBase<S>).asState(state) : (state as S);
      return scan(this.cell, asTensor(x), initial);
    });
  }

  protected run(x: Tensor): Tensor {
    return scan(this.cell, x, this.cell.initialstates())[0];
  }

  /** Flux's `initialstates`, from the cell. */
  initialstates(): S {
    return this.cell.initialstates();
  }
}

/** The wrappers of tsflux's own cells print on one line, as the cell with the wrapper's name (Flux's `@layer :noexpand`). */
abstract class CellWrapper<S, C extends CellBase<S>> extends SequenceLayer<S, C> {
  /** Wraps `cell`, or a cell `make(in, out, opts)` when given sizes. */
  constructor(a: number | C, outDim: number | undefined, opts: CellOptions, make: (inDim: number, outDim: number, opts: CellOptions) => C) {
    super(typeof a === "number" ? make(a, outDim!, opts) : a);
  }

  override [showCompact](): string {
    const cell = compactString(this.cell);
    return `${typeName(this)}${cell.slice(cell.indexOf("("))}`;
  }

  override [showChildren](): null {
    return null;
  }
}

class RNNLayer extends CellWrapper<Tensor, RNNCell> {
  constructor(a: number | RNNCell, outDim?: number, activation: Activation = tanh, opts: CellOptions = {}) {
    super(a, outDim, opts, (i, o, cellOpts) => RNNCell(i, o, activation, cellOpts));
  }
}

/** `RNN(in, out, σ = tanh, cellOptions?)` or `RNN(cell)`: an RNNCell over a sequence. Field `cell`. */
export const RNN = callable<typeof RNNLayer, {
  (cell: RNNCell): RNNLayer;
  (inDim: number, outDim: number, activation?: Activation, opts?: CellOptions): RNNLayer;
}>(RNNLayer, "RNN");
export type RNN = RNNLayer;

class LSTMLayer extends CellWrapper<[Tensor, Tensor], LSTMCell> {
  constructor(a: number | LSTMCell, outDim?: number, opts: CellOptions = {}) {
    super(a, outDim, opts, LSTMCell);
  }
}

/** `LSTM(in, out, cellOptions?)` or `LSTM(cell)`: an LSTMCell over a sequence; the state is `[h, c]`. Field `cell`. */
export const LSTM = callable<typeof LSTMLayer, {
  (cell: LSTMCell): LSTMLayer;
  (inDim: number, outDim: number, opts?: CellOptions): LSTMLayer;
}>(LSTMLayer, "LSTM");
export type LSTM = LSTMLayer;

class GRULayer extends CellWrapper<Tensor, GRUCell> {
  constructor(a: number | GRUCell, outDim?: number, opts: CellOptions = {}) {
    super(a, outDim, opts, GRUCell);
  }
}

/** `GRU(in, out, cellOptions?)` or `GRU(cell)`: a GRUCell over a sequence. Field `cell`. */
export const GRU = callable<typeof GRULayer, {
  (cell: GRUCell): GRULayer;
  (inDim: number, outDim: number, opts?: CellOptions): GRULayer;
}>(GRULayer, "GRU");
export type GRU = GRULayer;

class GRUv3Layer extends CellWrapper<Tensor, GRUv3Cell> {
  constructor(a: number | GRUv3Cell, outDim?: number, opts: CellOptions = {}) {
    super(a, outDim, opts, GRUv3Cell);
  }
}

/** `GRUv3(in, out, cellOptions?)` or `GRUv3(cell)`: a GRUv3Cell over a sequence. Field `cell`. */
export const GRUv3 = callable<typeof GRUv3Layer, {
  (cell: GRUv3Cell): GRUv3Layer;
  (inDim: number, outDim: number, opts?: CellOptions): GRUv3Layer;
}>(GRUv3Layer, "GRUv3");
export type GRUv3 = GRUv3Layer;

class RecurrenceLayer<S> extends SequenceLayer<S> {
  constructor(cell: RecurrentCell<S>) {
    super(cell);
  }

  override [showCompact](): string {
    return `Recurrence(${compactString(this.cell)})`;
  }
}

/**
 * `Recurrence(cell)`: any cell with Flux's contract (`forward(x, state) -> [y, state]` and
 * `initialstates()`) over a sequence, printed expanded. Field `cell`.
 */
export const Recurrence = callable(RecurrenceLayer, "Recurrence");
export type Recurrence<S = unknown> = RecurrenceLayer<S>;
