/**
 * Fused elementwise loops in WebAssembly SIMD. A Float32 group of ops with native SIMD instructions
 * (arithmetic, min/max, relu, comparisons and where: the ops whose block declares a `simd` formula) is
 * compiled at run time into a module over the
 * shared heap: four elements a step, a scalar tail, and the same [rows, cols] view as the JS loops for
 * broadcast inputs. Each op is one Float32 IEEE operation, so results equal the JS loop's bit for bit.
 * Groups with other ops (exp, log, tanh, ...) or other dtypes keep the JS loop.
 */
import type { Node, Value } from "../../ir/graph";
import type { FusedGroup } from "../../exec/fusion";
import { constantRoot, isBroadcast } from "../../exec/fusion";
import { opDef } from "../../ops/table";
import { heapOffset } from "../../memory";
import type { Slot } from "../../ops/types";
import { moduleBytes, op, F32, I32, V128, type Bytes } from "./encoder";
import { instantiateOnHeap } from "./runtime";

/** Whether a group can run in Wasm: Float32 everywhere, bool only inside, every op with a SIMD formula. */
export function supportedInWasm(group: FusedGroup): boolean {
  if (group.inputs.some((i) => i.value.dtype !== "f32") || group.outputs.some((v) => v.dtype !== "f32")) return false;
  return group.members.every((m) => {
    if (isBroadcast(m)) return true;
    const simd = opDef(m.op).simd;
    if (simd === undefined || (simd.accepts && !simd.accepts(m.inputs, m.output))) return false;
    return m.output.dtype === "f32" || (m.output.dtype === "bool" && simd.mask === true);
  });
}

/** Local variable numbering: parameters first (output pointers, input pointers, n, rows), then the rest. */
class Locals {
  readonly i32: number[] = [];
  readonly f32: number[] = [];
  readonly v128: number[] = [];
  constructor(private next: number) {}
  private take(list: number[]): number {
    list.push(this.next);
    return this.next++;
  }
  int(): number { return this.take(this.i32); }
  float(): number { return this.take(this.f32); }
  vec(): number { return this.take(this.v128); }
  /** Declarations in the order the indices were handed out per type. */
  declarations(): [number, number][] {
    const all = [...this.i32.map((i) => [i, I32]), ...this.f32.map((i) => [i, F32]), ...this.v128.map((i) => [i, V128])].sort((a, b) => a[0]! - b[0]!);
    return all.map(([, t]) => [1, t!]);
  }
}

/**
 * The module of one group; its function takes (outputs..., inputs..., n, rows) as byte offsets / counts.
 * What the bytes below encode, as WAT (O outputs, I inputs; `base` walks columns, `c` rows, in bytes):
 * ```wat
 * (func $run (param $out0 … $in0 … $n $rows i32)
 *   (local.set $rowBytes (i32.mul (local.get $rows) (i32.const 4)))
 *   (local.set $rows4 (i32.shl (i32.and (local.get $rows) (i32.const -4)) (i32.const 2)))
 *   (local.set $total (i32.mul (local.get $n) (i32.const 4)))
 *   ;; prologue, per "scalar" input k (constants too): $s = f32.load $in_k; $v = f32x4.splat $s
 *   (block $done (loop $columns
 *     (br_if $done (i32.ge_u (local.get $base) (local.get $total)))
 *     ;; per "row" input k: $s = f32.load (in_k + j4); $v = f32x4.splat $s
 *     (local.set $c (i32.const 0))
 *     (block (loop                       ;; four rows a step
 *       (br_if 1 (i32.ge_u (local.get $c) (local.get $rows4)))
 *       ;; per "flat" input: $v = v128.load (in_k + base + c); per "col" input: $v = v128.load (in_k + c)
 *       ;; per member: $v_m = its `simd` formula over its operands' locals (broadcastTo: its input's local)
 *       ;; per output k: v128.store (out_k + base + c) $v_m
 *       (local.set $c (i32.add (local.get $c) (i32.const 16))) (br 0)))
 *     (block (loop                       ;; the rows left, one at a time: the same with f32 ops
 *       (br_if 1 (i32.ge_u (local.get $c) (local.get $rowBytes)))
 *       ;; … f32.load / scalar formula / f32.store …
 *       (local.set $c (i32.add (local.get $c) (i32.const 4))) (br 0)))
 *     (local.set $base (i32.add (local.get $base) (local.get $rowBytes)))
 *     (local.set $j4 (i32.add (local.get $j4) (i32.const 4)))
 *     (br $columns))))
 * ```
 */
export function fusedModuleBytes(group: FusedGroup): Uint8Array {
  const O = group.outputs.length, I = group.inputs.length;
  const nParam = O + I, rowsParam = O + I + 1;
  const L = new Locals(O + I + 2);
  const [base, j4, c, rowBytes, rows4, total] = [L.int(), L.int(), L.int(), L.int(), L.int(), L.int()];
  // every value: its vector and scalar locals
  const vecOf = new Map<Value, number>(), scaOf = new Map<Value, number>();
  const def = (v: Value, mask: boolean) => {
    vecOf.set(v, L.vec());
    scaOf.set(v, mask ? L.int() : L.float());
  };
  const prologue: Bytes = [], perColumn: Bytes = [];
  group.inputs.forEach((inp, k) => {
    if (inp.access === "flat" || inp.access === "col") return;
    def(inp.value, false);
    const load = inp.access === "scalar" ? [...op.get(O + k), ...op.f32Load] : [...op.get(O + k), ...op.get(j4), ...op.i32Add, ...op.f32Load];
    (inp.access === "scalar" ? prologue : perColumn).push(...load, ...op.set(scaOf.get(inp.value)!), ...op.get(scaOf.get(inp.value)!), ...op.f32x4Splat, ...op.set(vecOf.get(inp.value)!));
  });
  const streamed = group.inputs.map((inp, k) => ({ inp, k })).filter(({ inp }) => inp.access === "flat" || inp.access === "col");
  for (const { inp } of streamed) if (!vecOf.has(inp.value)) def(inp.value, false);
  // a constant is a scalar input (its cell in the plan's constant table), loaded in the prologue
  const operand = (v: Value, vector: boolean): Bytes => op.get((vector ? vecOf : scaOf).get(vecOf.has(v) ? v : constantRoot(v)!)!);
  const valueOf = new Map<Node, Value>();
  for (const m of group.members) {
    if (isBroadcast(m)) {
      valueOf.set(m, m.inputs[0]!);
      continue;
    }
    def(m.output, m.output.dtype === "bool");
  }
  const memberValue = (v: Value): Value => (v.producer && valueOf.has(v.producer) ? valueOf.get(v.producer)! : v);
  const body = (vector: boolean): Bytes => {
    const out: Bytes = [];
    const width = vector ? op.v128Load : op.f32Load;
    for (const { inp, k } of streamed) {
      const addr = inp.access === "flat" ? [...op.get(O + k), ...op.get(base), ...op.i32Add, ...op.get(c), ...op.i32Add] : [...op.get(O + k), ...op.get(c), ...op.i32Add];
      out.push(...addr, ...width, ...op.set((vector ? vecOf : scaOf).get(inp.value)!));
    }
    for (const m of group.members) {
      if (isBroadcast(m)) continue;
      const args = m.inputs.map((x) => operand(memberValue(x), vector));
      const code = opDef(m.op).simd!.emit(args, vector, m.attrs);
      out.push(...code, ...op.set((vector ? vecOf : scaOf).get(m.output)!));
    }
    group.outputs.forEach((v, k) => {
      out.push(...op.get(k), ...op.get(base), ...op.i32Add, ...op.get(c), ...op.i32Add, ...operand(memberValue(v), vector), ...(vector ? op.v128Store : op.f32Store));
    });
    return out;
  };
  const loop = (limit: number, step: number, inner: Bytes): Bytes => [
    ...op.block, ...op.loop, ...op.get(c), ...op.get(limit), ...op.i32GeU, ...op.brIf(1), ...inner,
    ...op.get(c), ...op.i32(step), ...op.i32Add, ...op.set(c), ...op.br(0), ...op.end, ...op.end,
  ];
  const code: Bytes = [
    ...op.get(rowsParam), ...op.i32(4), ...op.i32Mul, ...op.set(rowBytes),
    ...op.get(rowsParam), ...op.i32(-4), ...op.i32And, ...op.i32(2), ...op.i32Shl, ...op.set(rows4),
    ...op.get(nParam), ...op.i32(4), ...op.i32Mul, ...op.set(total),
    ...prologue,
    ...op.block, ...op.loop,
    ...op.get(base), ...op.get(total), ...op.i32GeU, ...op.brIf(1),
    ...perColumn,
    ...op.i32(0), ...op.set(c),
    ...loop(rows4, 16, body(true)),
    ...loop(rowBytes, 4, body(false)),
    ...op.get(base), ...op.get(rowBytes), ...op.i32Add, ...op.set(base),
    ...op.get(j4), ...op.i32(4), ...op.i32Add, ...op.set(j4),
    ...op.br(0), ...op.end, ...op.end,
  ];
  return moduleBytes(O + I + 2, L.declarations(), code, 65536);
}

const compiled = new Map<string, (...args: number[]) => void>();
let runs = 0;

/** How many times a fused loop has run in Wasm (for tests that check which path ran). */
export function fusedWasmRuns(): number {
  return runs;
}

/**
 * A runner for `group` that executes it in Wasm when every slot lives in the heap (returning true), or
 * returns false so the caller runs the JS loop; undefined when the group cannot be lowered at all.
 * `key` (exec/group-code.ts's groupCodeKey) names the module in a cache shared by every plan.
 */
export function wasmGroupRunner(group: FusedGroup, key: string, n: number, rows: number): ((outs: readonly Slot[], ins: readonly Slot[]) => boolean) | undefined {
  if (!supportedInWasm(group)) return undefined;
  let run = compiled.get(key);
  if (!run) {
    run = instantiateOnHeap(fusedModuleBytes(group));
    compiled.set(key, run);
  }
  const args = new Array<number>(group.outputs.length + group.inputs.length + 2).fill(0);
  args[args.length - 2] = n;
  args[args.length - 1] = rows;
  const fn = run;
  return (outs, ins) => {
    for (let k = 0; k < outs.length; k++) {
      const p = heapOffset(outs[k]!.data, outs[k]!.offset);
      if (p < 0) return false;
      args[k] = p;
    }
    for (let k = 0; k < ins.length; k++) {
      const p = heapOffset(ins[k]!.data, ins[k]!.offset);
      if (p < 0) return false;
      args[outs.length + k] = p;
    }
    fn.apply(null, args);
    runs++;
    return true;
  };
}
