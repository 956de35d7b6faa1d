// 2x2 max pooling with stride 2 and no padding (the common case) over planes of [w, h] Float32 data,
// four windows at a time: two vectors of each of the window's two rows hold eight columns, and shuffles
// split them into the four window positions. Each window is scanned in the general kernel's order
// ((0,0), (1,0), (0,1), (1,1)) with a strict `>` from `floor`, so the first maximum is chosen, as there.
//
// Both read a word block `q` (POOL_WORDS: x, y or dy, dx, w, h, floor as f32 bits, the thread count and
// claim counters) and claim planes `chunk` at a time (work-claim.mjs; `thread` is this thread's number),
// so the calling thread and worker lanes can run the same call on one batch (kernels/pool-2x2.ts).
//
//   maxpool2x2_f32(q, chunk, planes, scratch, out): y[ow, oh, p] = the maximum of window (ow, oh) (or floor).
//   maxpool2x2_scatter_f32(q, chunk, planes, scratch, out): dx = dy at each window's first maximum, 0 at
//     its other elements; a last odd row or column of dx is left as it is (the caller zeroes it). With
//     word RELU set, dy counts only where the maximum is > 0: relu's derivative fused in
//     (where(x > 0, scatter(dy, x), 0), exec/pool-relu-adjoint.ts).
import { f32Lanes, func, get, set, i32, inc, locals, whileLoop, add, mul, shl2, ZERO } from "./wat.mjs";
import { claimedItems, CLAIM_LOCALS, MAX_CLAIM_THREADS } from "./work-claim.mjs";

/** Word indices of the parameter block (Int32; FLOOR holds the f32 bits). */
export const POOL_WORDS = { X: 0, Y: 1, DX: 2, W: 3, H: 4, FLOOR: 5, THREADS: 6, RELU: 7, COUNTERS: 8, SIZE: 8 + MAX_CLAIM_THREADS };

const shuffle = (x, y, ...lanes) => `(i8x16.shuffle ${f32Lanes(...lanes)} ${x} ${y})`;

/** The four window positions of four windows as vectors e0..e3, then the first maximum (best) and its position (idx). */
function vectorWindows(withIndex) {
  const at = (row, v) => `(v128.load offset=${16 * v} ${add(get(row), `(i32.shl ${get("ox")} ${i32(3)})`)})`;
  const out = [
    set("va", at("r0", 0)), set("vb", at("r0", 1)), set("vc", at("r1", 0)), set("vd", at("r1", 1)),
    set("e0", shuffle(get("va"), get("vb"), 0, 2, 4, 6)), set("e1", shuffle(get("va"), get("vb"), 1, 3, 5, 7)),
    set("e2", shuffle(get("vc"), get("vd"), 0, 2, 4, 6)), set("e3", shuffle(get("vc"), get("vd"), 1, 3, 5, 7)),
    set("best", `(f32x4.splat ${get("floor")})`),
  ];
  if (withIndex) out.push(set("idx", "(v128.const i32x4 -1 -1 -1 -1)"));
  for (let k = 0; k < 4; k++) {
    out.push(set("gt", `(f32x4.gt ${get(`e${k}`)} ${get("best")})`), set("best", `(v128.bitselect ${get(`e${k}`)} ${get("best")} ${get("gt")})`));
    if (withIndex) out.push(set("idx", `(v128.bitselect (v128.const i32x4 ${k} ${k} ${k} ${k}) ${get("idx")} ${get("gt")})`));
  }
  return out;
}

/** The same for one window at column ox, as scalars s0..s3, best and idx. */
function scalarWindow(withIndex) {
  const at = (row, k) => `(f32.load offset=${4 * k} ${add(get(row), `(i32.shl ${get("ox")} ${i32(3)})`)})`;
  const out = [set("s0", at("r0", 0)), set("s1", at("r0", 1)), set("s2", at("r1", 0)), set("s3", at("r1", 1)), set("sb", get("floor")), set("si", i32(-1))];
  for (let k = 0; k < 4; k++) {
    const gt = `(f32.gt ${get(`s${k}`)} ${get("sb")})`;
    out.push(withIndex ? `(if ${gt} (then ${set("sb", get(`s${k}`))} ${set("si", i32(k))}))` : `(if ${gt} (then ${set("sb", get(`s${k}`))}))`);
  }
  return out;
}

/** Loops over planes and output rows around `vec` (four windows) and `one` (one window); r0, r1 are the window rows. */
function rows(vec, one) {
  return [
    ...["x", "y", "dx", "w", "h", "relu", "threads"].map((name) => set(name, `(i32.load offset=${4 * POOL_WORDS[name.toUpperCase()]} ${get("q")})`)),
    set("floor", `(f32.load offset=${4 * POOL_WORDS.FLOOR} ${get("q")})`),
    set("wo", `(i32.shr_u ${get("w")} ${i32(1)})`), set("ho", `(i32.shr_u ${get("h")} ${i32(1)})`),
    ...claimedItems({ counters: `(i32.add ${get("q")} ${i32(4 * POOL_WORDS.COUNTERS)})`, item: "p", itemEnd: "pEnd", chunk: "chunk", total: "planes", threads: "threads", thread: "thread" }, [
      set("oy", i32(0)),
      whileLoop("row", `(i32.lt_u ${get("oy")} ${get("ho")})`, [
        set("r0", add(get("x"), shl2(mul(add(mul(get("p"), get("h")), `(i32.shl ${get("oy")} ${i32(1)})`), get("w"))))),
        set("r1", add(get("r0"), shl2(get("w")))),
        set("o", shl2(mul(add(mul(get("p"), get("ho")), get("oy")), get("wo")))),
        set("ox", i32(0)),
        whileLoop("four", `(i32.le_u ${add(get("ox"), i32(4))} ${get("wo")})`, [...vec, inc("ox", i32(4))]),
        whileLoop("one", `(i32.lt_u ${get("ox")} ${get("wo")})`, [...one, inc("ox", i32(1))]),
        inc("oy", i32(1)),
      ]),
    ]),
  ];
}

const PARAMS = "(param $q i32) (param $chunk i32) (param $planes i32) (param $scratch i32) (param $out i32) (param $thread i32)";

const LOCALS = [
  locals([...CLAIM_LOCALS, "threads", "x", "y", "dx", "w", "h", "relu", "p", "pEnd", "oy", "ox", "wo", "ho", "r0", "r1", "o", "si"]),
  locals(["va", "vb", "vc", "vd", "e0", "e1", "e2", "e3", "best", "gt", "idx", "g"], "v128"),
  locals(["s0", "s1", "s2", "s3", "sb", "sg", "floor"], "f32"),
];

/** maxpool2x2_f32: see the file comment. */
function maxpool2x2() {
  const out = (offset) => add(get("y"), get("o"), shl2(get("ox")), i32(offset));
  return func("maxpool2x2_f32(q, chunk, planes, scratch, out): 2x2 max pooling, stride 2, no padding, of the planes it claims",
    `$maxpool2x2_f32 (export "maxpool2x2_f32") ${PARAMS}`,
    [...LOCALS, ...rows([...vectorWindows(false), `(v128.store ${out(0)} ${get("best")})`], [...scalarWindow(false), `(f32.store ${out(0)} ${get("sb")})`])]);
}

/** maxpool2x2_scatter_f32: see the file comment. */
function maxpool2x2Scatter() {
  const keep = (k) => `(v128.and ${get("g")} (i32x4.eq ${get("idx")} (v128.const i32x4 ${k} ${k} ${k} ${k})))`;
  // dx rows of the window rows: the byte offset of r0 / r1 from x, from dx
  const dxAt = (row, offset) => add(get("dx"), `(i32.sub ${get(row)} ${get("x")})`, `(i32.shl ${get("ox")} ${i32(3)})`, i32(offset));
  const vec = [
    ...vectorWindows(true),
    set("g", `(v128.load ${add(get("y"), get("o"), shl2(get("ox")))})`),
    `(if ${get("relu")} (then ${set("g", `(v128.and ${get("g")} (f32x4.gt ${get("best")} ${ZERO}))`)}))`,
    set("e0", keep(0)), set("e1", keep(1)), set("e2", keep(2)), set("e3", keep(3)),
    `(v128.store ${dxAt("r0", 0)} ${shuffle(get("e0"), get("e1"), 0, 4, 1, 5)})`,
    `(v128.store ${dxAt("r0", 16)} ${shuffle(get("e0"), get("e1"), 2, 6, 3, 7)})`,
    `(v128.store ${dxAt("r1", 0)} ${shuffle(get("e2"), get("e3"), 0, 4, 1, 5)})`,
    `(v128.store ${dxAt("r1", 16)} ${shuffle(get("e2"), get("e3"), 2, 6, 3, 7)})`,
  ];
  const one = [
    ...scalarWindow(true),
    set("sg", `(f32.load ${add(get("y"), get("o"), shl2(get("ox")))})`),
    `(if (i32.and ${get("relu")} (f32.le ${get("sb")} (f32.const 0))) (then ${set("sg", "(f32.const 0)")}))`,
    ...[["r0", 0, 0], ["r0", 4, 1], ["r1", 0, 2], ["r1", 4, 3]].map(([row, offset, k]) =>
      `(f32.store ${dxAt(row, offset)} (select ${get("sg")} (f32.const 0) (i32.eq ${get("si")} ${i32(k)})))`),
  ];
  return func("maxpool2x2_scatter_f32(q, chunk, planes, scratch, out): the adjoint of 2x2 max pooling, stride 2, no padding, on the planes it claims",
    `$maxpool2x2_scatter_f32 (export "maxpool2x2_scatter_f32") ${PARAMS}`,
    [...LOCALS, ...rows(vec, one)]);
}

/** WAT functions of this kernel set. */
export function pool2x2F32Funcs() {
  return [maxpool2x2(), maxpool2x2Scatter()];
}
