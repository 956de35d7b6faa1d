/**
 * A compiled plan: the steps of a graph bound to one preallocated arena. Running it allocates nothing.
 * Inputs are bound by reference, except that a non-contiguous input, and (when the WebAssembly heap is in
 * use) a Float32 input outside it, is copied into a staging buffer the plan owns, so every kernel can run
 * in Wasm. The arena and staging buffers are freed by `dispose()`; `release()` drops every reference to
 * the caller's arrays between runs, so a cached plan keeps no model alive. Constants (`full` nodes) live
 * in a table that `setConstant` rewrites, so a plan serves every value of a captured number.
 */
import type { Graph, Value } from "../ir/graph";
import { GraphError, ShapeError, DTypeError } from "../errors";
import { arrayConstructor, BYTES, type DType, type TypedArray } from "../dtype";
import { checkBudget, numel, sameShape, shapeStr } from "../shape";
import { dtypeOf, gatherColMajor, isColMajorContiguous, wrapColMajor, type NdArray } from "../ndarray-util";
import { writeInto } from "../kernels/copy";
import { opDef } from "../ops/table";
import type { KernelFn, Slot } from "../ops/types";
import { schedule, type Step } from "./schedule";
import { layoutArena, ARENA_ALIGN } from "./arena";
import { compileGroup } from "./fusion";
import { ConstantTable } from "./constant-table";
import { fusedStepRunner } from "./fused-step-runner";
import { recordAllocation } from "./allocations";
import { allocOwnedBlock, heapOffset, usingWasmHeap, type OwnedBlock } from "../memory";
import { wasmGroupRunner } from "../kernels/wasm/fused";
import { groupCodeKey } from "./group-code";
import { printInputName, printValueName } from "../ir/print";
import { graphChecksEnabled, verifyGraph } from "../ir/verify";
import { ValueSet, graphIdBound } from "../ir/value-set";

type Runner = () => void;
/** What an unbound input slot points at. */
const EMPTY = new Float32Array(0);

/** A graph compiled to steps over one preallocated arena (see the file's header). */
export class Plan {
  /** Bytes of the arena holding every intermediate and output. */
  readonly arenaBytes: number;
  /** Typed arrays this plan allocated (arena, staging buffers); constant once warm. */
  allocations = 0;
  readonly steps: readonly Step[];
  private readonly runners: Runner[];
  /** The storage of each value, by value id. */
  private readonly slots: (Slot | undefined)[];
  /** Per graph input: its slot, the array bound to it now, and the staging buffer it is copied into (made on first need). */
  private readonly inputSlots: Slot[] = [];
  private readonly bound: (NdArray | undefined)[] = [];
  private readonly staging: (TypedArray | undefined)[] = [];
  /** Inputs the graph mutates: their final version is written back into the bound array after each run. */
  private readonly writebacks: { inputIndex: number; value: Value }[];
  /** The arena and staging blocks in the WebAssembly heap, freed by dispose(). */
  private readonly blocks: OwnedBlock[] = [];
  /** The arena slot of each output, restored by release() after bindOutput pointed it elsewhere. */
  private readonly outputHomes: { slot: Slot; data: TypedArray; offset: number }[];
  private disposed = false;
  /** The cells of the graph's `full` nodes (constant-table.ts). */
  private readonly constantTable: ConstantTable;
  /** Whether each output may be computed straight into a caller's array (see bindOutput). */
  private readonly directOutputs: boolean[];

  constructor(readonly graph: Graph, readonly outputs: readonly Value[]) {
    if (graphChecksEnabled()) verifyGraph(graph);
    this.writebacks = [];
    for (let inputIndex = 0; inputIndex < graph.inputs.length; inputIndex++) {
      const value = graph.latest(graph.inputs[inputIndex]!.buffer);
      if (value.version > 0) this.writebacks.push({ inputIndex, value });
    }
    const required = [...outputs, ...this.writebacks.map((w) => w.value)];
    const { steps, aliasOf } = schedule(graph, required);
    this.steps = steps;
    const root = (v: Value) => aliasOf.get(v) ?? v;
    const bound = graphIdBound(graph);
    this.slots = new Array<Slot | undefined>(bound);
    const inputs = new ValueSet(bound, graph.inputs);
    const layout = layoutArena(steps, (v) => !inputs.has(v), root, required);
    checkBudget(`plan of ${steps.length} steps`, layout.bytes);
    this.arenaBytes = layout.bytes;
    const bytes = Math.max(ARENA_ALIGN, layout.bytes);
    const block = allocOwnedBlock(`plan of ${steps.length} steps`, bytes);
    if (block) this.blocks.push(block);
    const arena = block?.buffer ?? new ArrayBuffer(bytes), at = block?.offset ?? 0;
    if (!block) recordAllocation(bytes);
    this.allocations++;
    const views: Record<DType, TypedArray> = {
      f32: new Float32Array(arena, at, bytes / 4), f64: new Float64Array(arena, at, bytes / 8),
      i32: new Int32Array(arena, at, bytes / 4), bool: new Uint8Array(arena, at, bytes),
    };
    // indexed loops, as in schedule.ts
    for (let i = 0; i < graph.inputs.length; i++) {
      const v = graph.inputs[i]!;
      this.slots[v.id] = { data: views[v.dtype], offset: 0 };
    }
    for (let i = 0; i < layout.stored.length; i++) {
      const v = layout.stored[i]!;
      this.slots[v.id] = { data: views[v.dtype], offset: layout.offsetOf[v.id]! / BYTES[v.dtype] };
    }
    this.constantTable = new ConstantTable(graph);
    if (this.constantTable.block) this.blocks.push(this.constantTable.block);
    for (const { value, cell } of this.constantTable.constants) this.slots[value.id] ??= cell;
    aliasOf.forEach((source, v) => (this.slots[v.id] = this.slot(source)));
    this.runners = steps.map((step) => this.runner(step));
    const written = new ValueSet(bound);
    for (let i = 0; i < steps.length; i++) for (let k = 0; k < steps[i]!.writes.length; k++) written.add(steps[i]!.writes[k]!);
    // direct when the output's storage is computed here and no other output shares it (its aliases move along)
    const sharing = new Map<Value, number>();
    for (const o of outputs) sharing.set(root(o), (sharing.get(root(o)) ?? 0) + 1);
    this.directOutputs = outputs.map((v) => written.has(root(v)) && sharing.get(root(v)) === 1);
    this.outputHomes = outputs.map((v) => {
      const slot = this.slot(v);
      return { slot, data: slot.data, offset: slot.offset };
    });
    graph.inputs.forEach((v, i) => {
      const source = v.buffer.input?.source;
      if (source) this.bind(i, source);
    });
  }

  /** The storage of a value (aliases share their source's slot object). */
  slot(v: Value): Slot {
    const s = this.slots[v.id];
    if (!s) throw new GraphError(`plan: ${printValueName(v)} has no storage in this plan`);
    return s;
  }

  private runner(step: Step): Runner {
    if (step.kind === "constant") {
      const out = this.slot(step.writes[0]!), n = numel(step.writes[0]!.shape);
      const cell = this.constantTable.cellOf(step.source);
      return () => out.data.fill(cell.data[cell.offset]!, out.offset, out.offset + n);
    }
    if (step.kind === "group") {
      const g = step.group;
      const key = groupCodeKey(g);
      const loop = compileGroup(g, key);
      const outs = g.outputs.map((v) => this.slot(v)), ins = g.inputs.map((i) => this.slot(i.value));
      const n = numel(g.shape), rows = g.inputs.some((i) => i.access === "col" || i.access === "row") ? (g.shape[0] ?? 1) : n;
      // Float32 groups of SIMD-able ops run in Wasm when their arrays are in the heap, else in JS
      const simd = usingWasmHeap() ? wasmGroupRunner(g, key, n, rows) : undefined;
      return simd ? () => { if (!simd(outs, ins)) loop(outs, ins); } : () => loop(outs, ins);
    }
    if (step.kind !== "node") return fusedStepRunner(step, (v) => this.slot(v));
    const { node } = step;
    const kernel: KernelFn = opDef(node.op).kernel({ attrs: node.attrs, inputs: node.inputs, output: node.output });
    const out = this.slot(node.output), ins = node.inputs.map((x) => this.slot(x));
    return () => kernel(out, ins);
  }

  /** Binds graph input `index` to an array of the traced shape and dtype (by reference when contiguous). */
  bind(index: number, array: NdArray): void {
    const v = this.graph.inputs[index];
    if (!v) throw new GraphError(`plan: there is no input ${index} (the graph has ${this.graph.inputs.length})`);
    if (!sameShape(array.shape, v.shape)) throw new ShapeError(`plan: ${printInputName(index, v)} was traced with shape ${shapeStr(v.shape)}, got ${shapeStr(array.shape)}`);
    const dtype = dtypeOf("plan", array);
    if (dtype !== v.dtype) throw new DTypeError(`plan: ${printInputName(index, v)} was traced as ${v.dtype}, got ${dtype}`);
    const slot = this.inputSlots[index] ?? (this.inputSlots[index] = this.slots[v.id]!);
    this.bound[index] = array;
    const outsideHeap = dtype === "f32" && usingWasmHeap() && heapOffset(array.data, array.offset) < 0;
    if (isColMajorContiguous(array) && !outsideHeap) {
      slot.data = array.data;
      slot.offset = array.offset;
      return;
    }
    let stage = this.staging[index];
    if (!stage) {
      stage = this.ownedArray(v);
      this.allocations++;
      this.staging[index] = stage;
    }
    if (isColMajorContiguous(array)) stage.set(array.offset === 0 && array.data.length === stage.length ? array.data : array.data.subarray(array.offset, array.offset + stage.length));
    else gatherColMajor(array, stage, 0);
    slot.data = stage;
    slot.offset = 0;
  }

  /** Sets constant `index` (the index-th `full` node in graph order) for the next runs. */
  setConstant(index: number, value: number): void {
    this.constantTable.set(index, value);
  }

  /** A typed array for value `v` owned by this plan: in the WebAssembly heap when it is in use. */
  private ownedArray(v: Value): TypedArray {
    const n = numel(v.shape), Ctor = arrayConstructor(v.dtype);
    const block = allocOwnedBlock(`plan: staging for ${printValueName(v)}`, n * BYTES[v.dtype]);
    if (!block) {
      recordAllocation(n * BYTES[v.dtype]);
      return new Ctor(n);
    }
    this.blocks.push(block);
    return new Ctor(block.buffer, block.offset, n);
  }

  /**
   * Makes output `outputIndex` be computed directly in `dst`'s memory (no copy afterwards), when that
   * is safe: `dst` is contiguous with the output's shape and dtype, and the output's storage is its own
   * (computed by this plan, not an input or an alias of one, and not another output's). Returns whether
   * it did; otherwise use copyOutput after execute.
   */
  bindOutput(outputIndex: number, dst: NdArray): boolean {
    const v = this.outputs[outputIndex]!;
    if (!this.directOutputs[outputIndex] || !isColMajorContiguous(dst) || !sameShape(dst.shape, v.shape)) return false;
    if (dtypeOf("plan", dst) !== v.dtype) return false;
    if (v.dtype === "f32" && usingWasmHeap() && heapOffset(dst.data, dst.offset) < 0) return false; // Wasm kernels write only the heap
    const slot = this.outputHomes[outputIndex]!.slot;
    slot.data = dst.data;
    slot.offset = dst.offset;
    return true;
  }

  /** The array input `index` is bound to now. */
  boundArray(index: number): NdArray {
    const a = this.bound[index];
    if (!a) throw new GraphError(`plan: input ${index} is not bound`);
    return a;
  }

  /**
   * Forgets the caller's arrays: inputs become unbound and outputs computed into a caller's array go back
   * to the arena. Bind again before the next run.
   */
  release(): void {
    for (let i = 0; i < this.bound.length; i++) {
      if (this.bound[i] === undefined) continue;
      if (this.staging[i] === undefined) this.inputSlots[i]!.data = EMPTY;
      this.bound[i] = undefined;
    }
    for (const home of this.outputHomes) {
      home.slot.data = home.data;
      home.slot.offset = home.offset;
    }
  }

  /** Frees the arena and staging buffers; the plan cannot run afterwards. */
  dispose(): void {
    this.release();
    this.disposed = true;
    for (const block of this.blocks) block.free();
    this.blocks.length = 0;
  }

  /** Runs every step once, then writes mutated inputs back into their arrays. Allocates nothing. */
  execute(): void {
    if (this.disposed) throw new GraphError("plan: this plan was disposed (evicted from the cache); it cannot run");
    const runners = this.runners;
    for (let i = 0; i < runners.length; i++) runners[i]!();
    for (let i = 0; i < this.writebacks.length; i++) {
      const { inputIndex, value } = this.writebacks[i]!;
      const s = this.slots[value.id]!;
      writeInto(s.data, s.offset, this.bound[inputIndex]!, numel(value.shape), false);
    }
  }

  /** The value of a one-element output after `execute`. */
  readScalar(outputIndex: number): number {
    const s = this.slot(this.outputs[outputIndex]!);
    return s.data[s.offset]!;
  }

  /** Copies output `outputIndex` into `dst` (any strides), or adds it when `accumulate`. */
  copyOutput(outputIndex: number, dst: NdArray, accumulate = false): void {
    const v = this.outputs[outputIndex]!;
    if (!sameShape(dst.shape, v.shape)) throw new ShapeError(`plan: output ${outputIndex} has shape ${shapeStr(v.shape)}, the destination ${shapeStr(dst.shape)}`);
    const s = this.slot(v);
    writeInto(s.data, s.offset, dst, numel(v.shape), accumulate);
  }

  /** Convenience: binds `args` to the inputs in order, runs, and returns fresh copies of the outputs. */
  run(...args: NdArray[]): NdArray[] {
    args.forEach((a, i) => this.bind(i, a));
    this.graph.inputs.forEach((v, i) => {
      const info = v.buffer.input;
      if (i >= args.length && info?.kind === "captured" && info.source) this.bind(i, info.source); // a staged copy is taken afresh
    });
    this.execute();
    return this.outputs.map((v) => {
      const s = this.slot(v);
      const n = numel(v.shape);
      const data = new (arrayConstructor(v.dtype))(n);
      recordAllocation(data.byteLength);
      data.set(s.data.subarray(s.offset, s.offset + n));
      return wrapColMajor(data, v.shape);
    });
  }
}

/** Compiles `graph` for `outputs` (default: the graph's outputs). */
export function compile(graph: Graph, outputs: readonly Value[] = graph.outputs): Plan {
  return new Plan(graph, outputs);
}
