/**
 * im2col and col2im for Float32 data in the WebAssembly heap, compiled at run time (two small modules
 * over the shared heap). They walk the same row table as the JS loop in conv-im2col.ts: per input
 * channel, per table row `[tap, row position, input offset or -1, lo, hi]`, the output columns
 * [0, lo) and [hi, wo) read padding and [lo, hi) read the input with the stride (four at a time with
 * SIMD when the stride is 1, in both directions).
 */
import { moduleBytes, op, I32, type Bytes } from "./encoder";
import { wasmAvailable, instantiateOnHeap } from "./runtime";

type Run = (...args: number[]) => void;

const i32Load = (offset: number): Bytes => [0x28, 2, offset];
const i32Eq: Bytes = [0x46];
const i32LtS: Bytes = [0x48];
const i32GeS: Bytes = [0x4e];
const i32GtS: Bytes = [0x4a];
const ifVoid: Bytes = [0x04, 0x40];

// parameters: rows, count, taps, wo, sw (bytes), chan (bytes), cinG, x0, c0 (byte pointers), ld (bytes)
const [ROWS, COUNT, TAPS, WO, SW, CHAN, CING, X0, C0, LD] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
// locals
const [CI, XC, CC, E, R, C, XO, LO, HI, OW, XI] = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20];

const get = op.get, set = op.set, k = op.i32;
const add = (a: Bytes, b: Bytes): Bytes => [...a, ...b, ...op.i32Add];
const mul = (a: Bytes, b: Bytes): Bytes => [...a, ...b, ...op.i32Mul];
/** `while (!(cond)) body`: a block with a loop that exits when `done` pushes true. */
const until = (done: Bytes, body: Bytes): Bytes => [...op.block, ...op.loop, ...done, ...op.brIf(1), ...body, ...op.br(0), ...op.end, ...op.end];
/** col[c + ow] address: c + 4 ow. */
const colAt: Bytes = add(get(C), [...get(OW), ...k(2), ...op.i32Shl]);
/** for (; ow < bound; ow++) body */
const columns = (bound: number, body: Bytes): Bytes => until([...get(OW), ...get(bound), ...i32GeS], [...body, ...add(get(OW), k(1)), ...set(OW)]);

/** The loop over channels and table rows, with `row` emitting the work of one row. */
function program(row: Bytes): Bytes {
  const loadRow = [
    ...add(add(get(CC), mul([...get(R), ...i32Load(0)], get(LD))), [...get(R), ...i32Load(4), ...k(2), ...op.i32Shl]), ...set(C),
    ...get(R), ...i32Load(8), ...set(XO), ...get(R), ...i32Load(12), ...set(LO), ...get(R), ...i32Load(16), ...set(HI),
  ];
  const rowsLoop = until([...get(E), ...get(COUNT), ...i32GeS], [...loadRow, ...row, ...add(get(R), k(20)), ...set(R), ...add(get(E), k(1)), ...set(E)]);
  const perChannel = [...k(0), ...set(E), ...get(ROWS), ...set(R), ...rowsLoop,
    ...add(get(XC), get(CHAN)), ...set(XC), ...add(get(CC), mul(get(TAPS), get(LD))), ...set(CC), ...add(get(CI), k(1)), ...set(CI)];
  return [...k(0), ...set(CI), ...get(X0), ...set(XC), ...get(C0), ...set(CC), ...until([...get(CI), ...get(CING), ...i32GeS], perChannel)];
}

/** With stride 1: `body` on four columns (col at colAt, x at XI) a step while four remain. */
function fourAtATime(body: Bytes): Bytes {
  return [
    ...get(SW), ...k(4), ...i32Eq, ...ifVoid,
    ...until([...add(get(OW), k(4)), ...get(HI), ...i32GtS], [...body, ...add(get(XI), k(16)), ...set(XI), ...add(get(OW), k(4)), ...set(OW)]),
    ...op.end,
  ];
}

/** im2col: zeros, the strided copy, zeros (a row reading only padding is all zeros). */
function gatherRow(): Bytes {
  const zero = [...colAt, ...op.f32(0), ...op.f32Store];
  return [
    // xo < 0: the whole row is padding
    ...get(XO), ...k(0), ...i32LtS, ...ifVoid, ...get(WO), ...set(LO), ...get(WO), ...set(HI), ...op.end,
    ...k(0), ...set(OW),
    ...columns(LO, zero),
    ...add(get(XC), [...get(XO), ...k(2), ...op.i32Shl]), ...set(XI),
    ...fourAtATime([...colAt, ...get(XI), ...op.v128Load, ...op.v128Store]),
    ...columns(HI, [...colAt, ...get(XI), ...op.f32Load, ...op.f32Store, ...add(get(XI), get(SW)), ...set(XI)]),
    ...columns(WO, zero),
  ];
}

/** col2im: x[xi] += col[c + ow] over the valid columns (each element's sums in the same order either way). */
function scatterRow(): Bytes {
  return [
    ...get(XO), ...k(0), ...i32GeS, ...ifVoid,
    ...get(LO), ...set(OW), ...add(get(XC), [...get(XO), ...k(2), ...op.i32Shl]), ...set(XI),
    ...fourAtATime([...get(XI), ...get(XI), ...op.v128Load, ...colAt, ...op.v128Load, ...op.f32x4Add, ...op.v128Store]),
    ...columns(HI, [...get(XI), ...get(XI), ...op.f32Load, ...colAt, ...op.f32Load, ...op.f32Add, ...op.f32Store, ...add(get(XI), get(SW)), ...set(XI)]),
    ...op.end,
  ];
}

let modules: { gather: Run; scatter: Run } | null | undefined;

function compile(): { gather: Run; scatter: Run } | null {
  if (modules !== undefined) return modules;
  if (!wasmAvailable()) return (modules = null);
  const build = (row: Bytes): Run => instantiateOnHeap(moduleBytes(10, [[11, I32]], program(row), 65536));
  return (modules = { gather: build(gatherRow()), scatter: build(scatterRow()) });
}

/**
 * Runs the Float32 im2col (`scatter` false) or col2im-add (true) in Wasm; all pointers are heap byte
 * offsets, `rows` the table's. Returns false when Wasm is unavailable (the caller runs the JS loop).
 */
export function wasmIm2col(
  scatter: boolean, rows: number, count: number, taps: number, wo: number, sw: number, chan: number, cinG: number,
  x0: number, c0: number, ld: number,
): boolean {
  const m = compile();
  if (!m) return false;
  (scatter ? m.scatter : m.gather)(rows, count, taps, wo, 4 * sw, 4 * chan, cinG, x0, c0, 4 * ld);
  return true;
}
