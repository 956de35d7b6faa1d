/**
 * A plan's constant table: one cell per `full` node, Float32 constants in a Float32 table in the
 * WebAssembly heap (where Wasm loops read them), others in a Float64 table. Rewriting a cell changes
 * the constant for the next runs, so one plan serves every value of a captured number.
 */
import type { Graph, Value } from "../ir/graph";
import type { Slot } from "../ops/types";
import { GraphError } from "../errors";
import { allocOwnedBlock, type OwnedBlock } from "../memory";
import { printValueName } from "../ir/print";
import { constantOf, constantRoot } from "./fusion";

export class ConstantTable {
  /** Each `full` node's output, in graph order, with its cell. */
  readonly constants: { value: Value; cell: Slot }[] = [];
  private readonly cells = new Map<Value, Slot>();
  /** The heap block of the Float32 table (undefined when the heap is not in use); its owner frees it. */
  readonly block: OwnedBlock | undefined;

  constructor(graph: Graph) {
    const fulls: Value[] = [];
    for (let i = 0; i < graph.nodes.length; i++) {
      const v = graph.nodes[i]!.output;
      if (constantRoot(v) === v) fulls.push(v);
    }
    const f32s = fulls.filter((v) => v.dtype === "f32").length;
    this.block = allocOwnedBlock("plan: constant table", Math.max(1, f32s) * 4);
    const f32 = this.block ? new Float32Array(this.block.buffer, this.block.offset, f32s) : new Float32Array(f32s);
    const f64 = new Float64Array(fulls.length - f32s);
    let nf32 = 0, nf64 = 0;
    for (const v of fulls) {
      const cell: Slot = v.dtype === "f32" ? { data: f32, offset: nf32++ } : { data: f64, offset: nf64++ };
      cell.data[cell.offset] = constantOf(v)!;
      this.constants.push({ value: v, cell });
      this.cells.set(v, cell);
    }
  }

  /** The cell of a `full` node's output. */
  cellOf(v: Value): Slot {
    const cell = this.cells.get(v);
    if (!cell) throw new GraphError(`plan: ${printValueName(v)} is not a constant of this plan`);
    return cell;
  }

  /** Sets constant `index` (the index-th `full` node in graph order) for the next runs. */
  set(index: number, value: number): void {
    const c = this.constants[index];
    if (!c) throw new GraphError(`plan: there is no constant ${index} (the graph has ${this.constants.length})`);
    c.cell.data[c.cell.offset] = value;
  }
}
