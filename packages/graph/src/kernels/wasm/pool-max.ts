/**
 * Float32 max pooling in WebAssembly, compiled at run time over the shared heap: the forward value,
 * the gather through each window's first maximum (maxpoolGather) and the scatter of dy to it
 * (maxpoolScatter), each one pass that finds the first maximum and acts on it at once.
 *
 * Per plane and output row (a row table entry `[first element of the row's window rows, nh, nd]`),
 * the windows of a row whose width lies fully inside the data run four at a time with SIMD (lane j is
 * output ow + j, reading every sw-th element); the windows at the edges, clipped by padding, run one
 * at a time from a column table (`[first column, nw]` per ow). Every lane and every scalar window
 * scans its elements in the same order (d, then h, then w innermost) with a strict `>` from the floor,
 * so the chosen element is the first maximum, exactly as the scalar loops choose it.
 */
import { moduleBytes, op, u32, I32, F32, V128, type Bytes } from "./encoder";
import { wasmAvailable, instantiateOnHeap } from "./runtime";

type Run = (...args: number[]) => void;

/** What a pass does with each window's maximum M at first index BEST (element index in its plane). */
export type MaxPoolMode = "max" | "gather" | "scatter";

const i32Load = (offset: number): Bytes => [0x28, 2, offset];
const f32LoadAt = (offset: number): Bytes => [0x2a, 2, offset];
const f32StoreAt = (offset: number): Bytes => [0x38, 2, offset];
const i32GeS: Bytes = [0x4e];
const i32GtS: Bytes = [0x4a];
const i32Sub: Bytes = [0x6b];
const i32Eq: Bytes = [0x46];
const ifVoid: Bytes = [0x04, 0x40];
const orElse: Bytes = [0x05];
const f32FromBits: Bytes = [0xbe];
const simd = (code: number, ...imm: number[]): Bytes => [0xfd, ...u32(code), ...imm];
const i32x4Splat = simd(0x11), i32x4Extract = (lane: number) => simd(0x1b, lane), i32x4Replace = (lane: number) => simd(0x1c, lane);
const i32x4Add = simd(0xae);
const load32Lane = (lane: number) => simd(0x56, 2, 0, lane);

// parameters (pointers are byte offsets): scanned x, per-output array (out or dy), per-input array (v or dx),
// planes, elements per plane, row table, rows, column table, Wo, first and end of the SIMD windows, hw, w, kw, sw, lw, floor bits
const [X0, O0, A0, PLANES, PLANE, ROWS, NROWS, COLS, WO, OWLO, OWHI, HW, W, KW, SW, LW, FLOOR] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16];
// i32 locals, f32 locals, v128 locals
const [P, PX, PA, OA, R, E, RSTART, NH, ND, OW, D, H, IDX, C, BEST, CNT, ADDR, SWB] = [17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34];
const [M, VAL, FL] = [35, 36, 37];
const [MV, BV, V, LANES, MASK] = [38, 39, 40, 41, 42];

const get = op.get, set = op.set, k = op.i32;
const add = (a: Bytes, b: Bytes): Bytes => [...a, ...b, ...op.i32Add];
const mul = (a: Bytes, b: Bytes): Bytes => [...a, ...b, ...op.i32Mul];
const shl2 = (a: Bytes): Bytes => [...a, ...k(2), ...op.i32Shl];
const until = (done: Bytes, body: Bytes): Bytes => [...op.block, ...op.loop, ...done, ...op.brIf(1), ...body, ...op.br(0), ...op.end, ...op.end];
/** for (v = 0; v < bound; v++) body */
const range = (v: number, bound: Bytes, body: Bytes): Bytes => [...k(0), ...set(v), ...until([...get(v), ...bound, ...i32GeS], [...body, ...add(get(v), k(1)), ...set(v)])];
const inc = (v: number, by: Bytes): Bytes => [...add(get(v), by), ...set(v)];

/** The mode's action for the window whose output is at OA + offset, with maximum M at BEST. */
function act(mode: MaxPoolMode, offset: number): Bytes {
  const auxAt = add(get(PA), shl2(get(BEST)));
  if (mode === "max") return [...get(OA), ...get(M), ...f32StoreAt(offset)];
  if (mode === "gather") {
    return [...get(OA), ...get(BEST), ...k(0), ...i32GeS, ...[0x04, F32], ...auxAt, ...f32LoadAt(0), ...orElse, ...op.f32(0), ...op.end, ...f32StoreAt(offset)];
  }
  // scatter: dx[BEST] += dy[o]
  return [...get(BEST), ...k(0), ...i32GeS, ...ifVoid, ...auxAt, ...set(ADDR), ...get(ADDR), ...get(ADDR), ...f32LoadAt(0), ...get(OA), ...f32LoadAt(offset), ...op.f32Add, ...op.f32Store, ...op.end];
}

/** One window at column OW, clipped by the column table: scalar scan, then the action. */
function scalarWindow(mode: MaxPoolMode): Bytes {
  const colAt = add(get(COLS), [...get(OW), ...k(3), ...op.i32Shl]);
  return [
    ...get(FL), ...set(M), ...k(-1), ...set(BEST),
    ...colAt, ...i32Load(4), ...set(CNT),
    ...range(D, get(ND), range(H, get(NH), [
      ...add(add(get(RSTART), add(mul(get(D), get(HW)), mul(get(H), get(W)))), [...colAt, ...i32Load(0)]), ...set(IDX),
      ...range(C, get(CNT), [
        ...add(get(PX), shl2(get(IDX))), ...op.f32Load, ...set(VAL),
        ...get(VAL), ...get(M), ...op.f32Gt, ...ifVoid, ...get(VAL), ...set(M), ...get(IDX), ...set(BEST), ...op.end,
        ...inc(IDX, k(1)),
      ]),
    ])),
    ...act(mode, 0),
    ...inc(OA, k(4)), ...inc(OW, k(1)),
  ];
}

/** Lane j of V is element IDX + LANES[j]: keep it (and its index) where it beats the maximum so far, then IDX++. */
const scanStep: Bytes = [
  ...get(V), ...get(MV), ...op.f32x4Gt, ...set(MASK),
  ...get(V), ...get(MV), ...get(MASK), ...op.bitselect, ...set(MV),
  ...get(IDX), ...i32x4Splat, ...get(LANES), ...i32x4Add, ...get(BV), ...get(MASK), ...op.bitselect, ...set(BV),
  ...inc(IDX, k(1)),
];

/** Even (or odd) floats of the eight at ADDR: two vector loads and a shuffle. */
const v128LoadAt = (offset: number): Bytes => simd(0x00, 0, offset);
const halves = (odd: boolean): Bytes => [
  ...get(ADDR), ...v128LoadAt(0), ...get(ADDR), ...v128LoadAt(16),
  0xfd, ...u32(0x0d), ...[0, 2, 4, 6].flatMap((f) => [0, 1, 2, 3].map((b) => 4 * (f + (odd ? 1 : 0)) + b)), ...set(V),
];

/**
 * Four full windows at columns OW..OW+3: SIMD scan of each window row, then four actions. `load` fills
 * V from byte address ADDR for one column of the windows; with `pairs` (windows two wide at stride 2)
 * a row's two columns come from two vector loads of the row's eight floats instead.
 */
function vectorWindows(mode: MaxPoolMode, load: Bytes, pairs: boolean): Bytes {
  const lanes = mode === "max" ? [...get(OA), ...get(MV), ...op.v128Store]
    : [0, 1, 2, 3].flatMap((j) => [...get(MV), ...simd(0x1f, j), ...set(M), ...get(BV), ...i32x4Extract(j), ...set(BEST), ...act(mode, 4 * j)]);
  const addr = [...add(get(PX), shl2(get(IDX))), ...set(ADDR)];
  const row = pairs ? [...addr, ...halves(false), ...scanStep, ...halves(true), ...scanStep] : range(C, get(KW), [...addr, ...load, ...scanStep]);
  return [
    ...get(FL), ...op.f32x4Splat, ...set(MV), ...k(-1), ...i32x4Splat, ...set(BV),
    ...range(D, get(ND), range(H, get(NH), [
      ...add(add(get(RSTART), add(mul(get(D), get(HW)), mul(get(H), get(W)))), [...get(OW), ...get(SW), ...op.i32Mul, ...get(LW), ...i32Sub]), ...set(IDX),
      ...row,
    ])),
    ...lanes,
    ...inc(OA, k(16)), ...inc(OW, k(4)),
  ];
}

/** The whole pass: planes, rows, then the row's left edge, its SIMD middle and its right edge. */
function program(mode: MaxPoolMode): Bytes {
  const contiguous = [...get(ADDR), ...op.v128Load, ...set(V)];
  const strided = [0, 1, 2, 3].flatMap((j) => [...add(get(ADDR), mul(get(SWB), k(j))), ...get(V), ...load32Lane(j), ...set(V)]);
  const middle = (load: Bytes, pairs = false) => until([...add(get(OW), k(4)), ...get(OWHI), ...i32GtS], vectorWindows(mode, load, pairs));
  const twoByTwo = [...get(SW), ...k(2), ...i32Eq, ...get(KW), ...k(2), ...i32Eq, ...op.i32And];
  const row = [
    ...get(R), ...i32Load(0), ...set(RSTART), ...get(R), ...i32Load(4), ...set(NH), ...get(R), ...i32Load(8), ...set(ND),
    ...k(0), ...set(OW),
    ...until([...get(OW), ...get(OWLO), ...i32GeS], scalarWindow(mode)),
    ...get(SW), ...k(1), ...i32Eq, ...ifVoid, ...middle(contiguous),
    ...orElse, ...twoByTwo, ...ifVoid, ...middle(strided, true), ...orElse, ...middle(strided), ...op.end, ...op.end,
    ...until([...get(OW), ...get(WO), ...i32GeS], scalarWindow(mode)),
    ...inc(R, k(12)),
  ];
  const plane = [
    ...add(get(X0), shl2(mul(get(P), get(PLANE)))), ...set(PX), ...add(get(A0), shl2(mul(get(P), get(PLANE)))), ...set(PA),
    ...get(ROWS), ...set(R), ...range(E, get(NROWS), row),
  ];
  return [
    ...get(FLOOR), ...f32FromBits, ...set(FL), ...shl2(get(SW)), ...set(SWB), ...get(O0), ...set(OA),
    // LANES = [0, sw, 2 sw, 3 sw]
    ...k(0), ...i32x4Splat, ...get(SW), ...i32x4Replace(1), ...mul(get(SW), k(2)), ...i32x4Replace(2), ...mul(get(SW), k(3)), ...i32x4Replace(3), ...set(LANES),
    ...range(P, get(PLANES), plane),
  ];
}

let modules: Record<MaxPoolMode, Run> | null | undefined;

function compile(): Record<MaxPoolMode, Run> | null {
  if (modules !== undefined) return modules;
  if (!wasmAvailable()) return (modules = null);
  const build = (mode: MaxPoolMode): Run => instantiateOnHeap(moduleBytes(17, [[18, I32], [3, F32], [5, V128]], program(mode), 65536));
  return (modules = { max: build("max"), gather: build("gather"), scatter: build("scatter") });
}

/**
 * Runs one pass, or returns false when Wasm is unavailable. Pointers are heap byte offsets: `x` the
 * scanned data, `o` the per-output array (the result, or dy for a scatter), `a` the per-input array
 * (v for a gather, dx for a scatter); `rows`/`cols` the tables, the rest the geometry described above.
 */
export function wasmMaxPool(
  mode: MaxPoolMode, x: number, o: number, a: number, planes: number, plane: number, rows: number, nrows: number, cols: number,
  wo: number, owLo: number, owHi: number, hw: number, w: number, kw: number, sw: number, lw: number, floorBits: number,
): boolean {
  const m = compile();
  if (!m) return false;
  m[mode](x, o, a, planes, plane, rows, nrows, cols, wo, owLo, owHi, hw, w, kw, sw, lw, floorBits);
  return true;
}
