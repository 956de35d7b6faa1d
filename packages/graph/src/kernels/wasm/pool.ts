/**
 * Float32 pooling loops in WebAssembly, compiled at run time over the shared heap. They walk a window
 * table (per output position of a plane: `[first in-bounds element, nw, nh, nd]`) for every plane, the
 * same windows in the same order (dim 1 innermost) as the JS loops in pooling.ts:
 * argmax (first strict maximum above a floor, or -1), scaled window sums, and the spread adjoint.
 */
import { moduleBytes, op, I32, F32, type Bytes } from "./encoder";
import { wasmAvailable, instantiateOnHeap } from "./runtime";

type Run = (...args: number[]) => void;

const i32Load = (offset: number): Bytes => [0x28, 2, offset];
const i32Store: Bytes = [0x36, 2, 0];
const i32GeS: Bytes = [0x4e];
const ifVoid: Bytes = [0x04, 0x40];
const f32FromBits: Bytes = [0xbe];

// parameters: table, count, planes, plane (elements), hw, w (elements per d / h step), x0, o0 (byte pointers), v (f32 bits)
const [TABLE, COUNT, PLANES, PLANE, HW, W, X0, O0, V] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
// i32 locals, then f32 locals
const [P, E, R, START, NW, NH, ND, D, H, WI, IDX, O, BEST, PBASE] = [9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22];
const [M, S, VAL, SCALE] = [23, 24, 25, 26];

const get = op.get, set = op.set, k = op.i32;
const add = (a: Bytes, b: Bytes): Bytes => [...a, ...b, ...op.i32Add];
const mul = (a: Bytes, b: Bytes): Bytes => [...a, ...b, ...op.i32Mul];
const until = (done: Bytes, body: Bytes): Bytes => [...op.block, ...op.loop, ...done, ...op.brIf(1), ...body, ...op.br(0), ...op.end, ...op.end];
/** for (v = 0; v < bound; v++) body */
const range = (v: number, bound: number, body: Bytes): Bytes => [...k(0), ...set(v), ...until([...get(v), ...get(bound), ...i32GeS], [...body, ...add(get(v), k(1)), ...set(v)])];
/** Byte address of element IDX of x. */
const xAt: Bytes = add(get(X0), [...get(IDX), ...k(2), ...op.i32Shl]);

/** The loops over planes, windows and window elements; `before`/`element`/`after` are the mode's work. */
function program(before: Bytes, element: Bytes, after: Bytes): Bytes {
  const window = [
    ...add(get(PBASE), [...get(R), ...i32Load(0)]), ...set(START),
    ...get(R), ...i32Load(4), ...set(NW), ...get(R), ...i32Load(8), ...set(NH), ...get(R), ...i32Load(12), ...set(ND),
    ...before,
    ...range(D, ND, range(H, NH, [
      ...add(get(START), add(mul(get(D), get(HW)), mul(get(H), get(W)))), ...set(IDX),
      ...range(WI, NW, [...element, ...add(get(IDX), k(1)), ...set(IDX)]),
    ])),
    ...after,
    ...add(get(O), k(4)), ...set(O), ...add(get(R), k(16)), ...set(R),
  ];
  const plane = [...get(TABLE), ...set(R), ...range(E, COUNT, window), ...add(get(PBASE), get(PLANE)), ...set(PBASE)];
  return [...get(V), ...f32FromBits, ...set(SCALE), ...get(O0), ...set(O), ...k(0), ...set(PBASE), ...range(P, PLANES, plane)];
}

/** at[o] = index of the first element > m (m starts at the floor V), or -1. */
const argmax = program(
  [...get(SCALE), ...set(M), ...k(-1), ...set(BEST)],
  [...xAt, ...op.f32Load, ...set(VAL), ...get(VAL), ...get(M), ...op.f32Gt, ...ifVoid, ...get(VAL), ...set(M), ...get(IDX), ...set(BEST), ...op.end],
  [...get(O), ...get(BEST), ...i32Store],
);

/** y[o] = V * Σ window. */
const sums = program(
  [...op.f32(0), ...set(S)],
  [...get(S), ...xAt, ...op.f32Load, ...op.f32Add, ...set(S)],
  [...get(O), ...get(S), ...get(SCALE), ...op.f32Mul, ...op.f32Store],
);

/** x[window] += V * dy[o]. */
const spread = program(
  [...get(O), ...op.f32Load, ...get(SCALE), ...op.f32Mul, ...set(VAL)],
  [...xAt, ...xAt, ...op.f32Load, ...get(VAL), ...op.f32Add, ...op.f32Store],
  [],
);

let modules: Run[] | null | undefined;

function compile(): Run[] | null {
  if (modules !== undefined) return modules;
  if (!wasmAvailable()) return (modules = null);
  const build = (body: Bytes): Run =>
    instantiateOnHeap(moduleBytes(9, [[14, I32], [4, F32]], body, 65536));
  return (modules = [build(argmax), build(sums), build(spread)]);
}

const bits = new DataView(new ArrayBuffer(4));
/** The bits of a Float32 value as an int32 (the modules take only i32 parameters). */
function f32Bits(v: number): number {
  bits.setFloat32(0, v);
  return bits.getInt32(0);
}

/**
 * Runs pooling loop `mode` (0 argmax into `o0`, 1 window sums into `o0`, 2 spread of `o0` into x) over
 * heap byte pointers; false when Wasm is unavailable.
 */
export function wasmPool(mode: 0 | 1 | 2, table: number, count: number, planes: number, plane: number, hw: number, w: number, x0: number, o0: number, v: number): boolean {
  const m = compile();
  if (!m) return false;
  m[mode]!(table, count, planes, plane, hw, w, x0, o0, f32Bits(v));
  return true;
}
