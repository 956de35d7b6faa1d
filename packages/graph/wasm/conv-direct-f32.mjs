// Direct 2-d convolution with stride 1 (implicit GEMM: the column matrix is never written). Output row oy
// of channel o is Σ over taps t = (kh, c, kw) of an input row shifted by the tap, times the filter's
// weight; with stride 1 the shifted row is contiguous, so a tile of 8 output columns is two vector loads
// straight from the input. Both kernels read a word block `p` (layout CONV_WORDS, filled by
// kernels/conv-direct.ts) and claim samples `chunk` at a time from its word NEXT (an atomic add) until
// `batch`: the calling thread and a worker lane run the same call and share the batch however early or
// late each starts.
//
//   conv2d_f32(p, chunk, batch, scratch, out): y[:, oy, o, n] = Σ_t src[(oy + kh - lh) row, kw + ...] * f[t, o],
//     then the epilogue (bias per output channel, relu). Taps whose input row is padding are skipped
//     (rows are clipped per output row); padding in W is a zero-bordered copy of the sample in `scratch`.
//   conv2d_filter_f32(p, chunk, batch, scratch, out): out[t, o] = Σ_n Σ_oy Σ_ox src[...] * dy[ox, oy, o, n], the
//     filter gradient in tap order, over the samples this call claimed (each thread has its own `out`). With any
//     padding, each sample is first copied into a zero-bordered plane in `scratch`.
//
// Filter f is packed [taps][outputs] (outputs fastest, stride `co`); the tap table holds each tap's byte
// offset in the (padded) input plane.
import { f32Lanes, func, get, set, i32, inc, locals, lines, whileLoop } from "./wat.mjs";
import { EPI_BIAS, EPI_RELU } from "./gemm-epilogue-f32.mjs";

/** Word indices of the parameter block (Int32). */
export const CONV_WORDS = {
  X: 0, XS: 1, W: 2, H: 3, C: 4, LW: 5, LH: 6, WP: 7, HP: 8,
  Y: 9, YS: 10, WO: 11, HO: 12, CO: 13, F: 14, T: 15, KW: 16, KH: 17, BIAS: 18, EPI: 19,
  /** the next sample to claim (atomic) */
  NEXT: 20,
  /** words in all */
  SIZE: 21,
};

const ZERO = "(v128.const i32x4 0 0 0 0)";
const add = (...xs) => xs.reduce((a, b) => `(i32.add ${a} ${b})`);
const mul = (a, b) => `(i32.mul ${a} ${b})`;
const shl2 = (x) => `(i32.shl ${x} ${i32(2)})`;
const word = (name) => `(i32.load offset=${4 * CONV_WORDS[name]} ${get("p")})`;
const PARAMS = `(param $p i32) (param $chunk i32) (param $batch i32) (param $scratch i32) (param $out i32)`;

/** `body` for every sample n this call claims: `chunk` samples at a time from word NEXT, until `batch`. */
function claimedSamples(body) {
  return [
    "(block $claimed_end (loop $claim",
    set("n", `(i32.atomic.rmw.add offset=${4 * CONV_WORDS.NEXT} ${get("p")} ${get("chunk")})`),
    `(br_if $claimed_end (i32.ge_u ${get("n")} ${get("batch")}))`,
    set("nEnd", add(get("n"), get("chunk"))),
    `(if (i32.gt_u ${get("nEnd")} ${get("batch")}) (then ${set("nEnd", get("batch"))}))`,
    whileLoop("sample", `(i32.lt_u ${get("n")} ${get("nEnd")})`, [...body, inc("n", i32(1))]),
    "(br $claim)))",
  ];
}
const GEOMETRY = ["x", "xs", "w", "h", "c", "lw", "lh", "wp", "hp", "y", "ys", "wo", "ho", "co", "f", "t", "kw", "kh", "bias", "epi"];
const loadGeometry = () => GEOMETRY.map((name) => set(name, word(name.toUpperCase())));

/**
 * Copies sample plane `src` ([w, rows, c]) into `scratch` as [wp, rowsP, c] with `lw` zero columns on
 * the left and `top` zero rows on top (zeros everywhere else); leaves `src` pointing at the copy.
 */
function paddedCopy(rows, rowsP, top) {
  return [
    `(memory.fill ${get("scratch")} ${i32(0)} ${shl2(mul(mul(get("wp"), get(rowsP)), get("c")))})`,
    set("ci", i32(0)),
    whileLoop("copy_c", `(i32.lt_u ${get("ci")} ${get("c")})`, [
      set("r", i32(0)),
      whileLoop("copy_r", `(i32.lt_u ${get("r")} ${get(rows)})`, [
        `(memory.copy ${add(get("scratch"), shl2(add(mul(add(mul(get("ci"), get(rowsP)), get("r"), top), get("wp")), get("lw"))))} ` +
          `${add(get("src"), shl2(mul(add(mul(get("ci"), get(rows)), get("r")), get("w"))))} ${shl2(get("w"))})`,
        inc("r", i32(1)),
      ]),
      inc("ci", i32(1)),
    ]),
    set("src", get("scratch")),
  ];
}

/** The bias and relu of the forward epilogue on accumulator `name` (vector or scalar) of output channel o + j. */
function epilogue(name, j, scalar) {
  const b = `(f32.load ${add(get("bias"), shl2(add(get("o"), i32(j))))})`;
  return scalar
    ? [
        `(if (i32.and ${get("epi")} ${i32(EPI_BIAS)}) (then ${set(name, `(f32.add ${get(name)} ${b})`)}))`,
        `(if (i32.and ${get("epi")} ${i32(EPI_RELU)}) (then ${set(name, `(select (f32.const 0) ${get(name)} (f32.lt ${get(name)} (f32.const 0)))`)}))`,
      ]
    : [
        `(if (i32.and ${get("epi")} ${i32(EPI_BIAS)}) (then ${set(name, `(f32x4.add ${get(name)} (f32x4.splat ${b}))`)}))`,
        `(if (i32.and ${get("epi")} ${i32(EPI_RELU)}) (then ${set(name, `(v128.bitselect ${ZERO} ${get(name)} (f32x4.lt ${get(name)} ${ZERO}))`)}))`,
      ];
}

/**
 * One forward tile: `vectors` (2, 1, or 0 = one scalar column) times `cols` output channels from o, at
 * output column ox of row oy (input row base rb, output pixel address yp, plane stride ps bytes).
 */
function forwardTile(vectors, cols) {
  const scalar = vectors === 0, parts = scalar ? 1 : vectors;
  const acc = (v, j) => (scalar ? `q${j}` : `a${v}${j}`);
  const out = [];
  for (let v = 0; v < parts; v++) for (let j = 0; j < cols; j++) out.push(set(acc(v, j), scalar ? "(f32.const 0)" : ZERO));
  out.push(set("xb", add(get("rb"), shl2(get("ox")))), set("tp", get("t0")), set("fp", get("f0")));
  const step = [set("off", add(get("xb"), `(i32.load ${get("tp")})`))];
  for (let v = 0; v < parts; v++) step.push(set(scalar ? "s" : `x${v}`, scalar ? `(f32.load ${get("off")})` : `(v128.load offset=${16 * v} ${get("off")})`));
  for (let j = 0; j < cols; j++) {
    if (scalar) step.push(set(acc(0, j), `(f32.add ${get(acc(0, j))} (f32.mul ${get("s")} (f32.load offset=${4 * j} ${get("fp")})))`));
    else {
      step.push(set("wv", `(v128.load32_splat offset=${4 * j} ${get("fp")})`));
      for (let v = 0; v < parts; v++) step.push(set(acc(v, j), `(f32x4.add ${get(acc(v, j))} (f32x4.mul ${get(`x${v}`)} ${get("wv")}))`));
    }
  }
  step.push(inc("tp", i32(4)), inc("fp", get("fs")));
  out.push(whileLoop(`k${vectors}${cols}`, `(i32.lt_u ${get("tp")} ${get("t1")})`, step));
  const yAt = (j) => add(get("yp"), shl2(get("ox")), mul(get("ps"), i32(j)));
  for (let j = 0; j < cols; j++) {
    for (let v = 0; v < parts; v++) {
      out.push(...epilogue(acc(v, j), j, scalar));
      out.push(scalar ? `(f32.store ${yAt(j)} ${get(acc(0, j))})` : `(v128.store offset=${16 * v} ${yAt(j)} ${get(acc(v, j))})`);
    }
  }
  return out;
}

/** Output columns of one row for a block of `cols` channels: 8 at a time, then 4, then one by one. */
function forwardColumns(cols) {
  const run = (label, width, vectors) =>
    whileLoop(`${label}${cols}`, `(i32.le_u ${add(get("ox"), i32(width))} ${get("wo")})`, [...forwardTile(vectors, cols), inc("ox", i32(width))]);
  return [set("ox", i32(0)), run("ox8_", 8, 2), run("ox4_", 4, 1), run("ox1_", 1, 0)];
}

/** conv2d_f32: see the file comment. */
function conv2d() {
  const body = [
    locals([...GEOMETRY, "n", "nEnd", "src", "ci", "r", "oy", "o", "ox", "kh0", "kh1", "rowTaps", "t0", "t1", "tp", "fp", "f0", "fs", "rb", "xb", "off", "yp", "ps", "padded"]),
    locals(["a00", "a01", "a02", "a03", "a10", "a11", "a12", "a13", "x0", "x1", "wv"], "v128"),
    locals(["s", "q0", "q1", "q2", "q3"], "f32"),
    ...loadGeometry(),
    set("rowTaps", mul(get("c"), get("kw"))),
    set("fs", shl2(get("co"))),
    set("ps", shl2(mul(get("wo"), get("ho")))),
    set("padded", `(i32.ne ${get("wp")} ${get("w")})`),
    ...claimedSamples([
      set("src", add(get("x"), mul(get("n"), get("xs")))),
      `(if ${get("padded")} (then`,
      lines(paddedCopy("h", "h", i32(0))),
      "))",
      set("oy", i32(0)),
      whileLoop("row", `(i32.lt_u ${get("oy")} ${get("ho")})`, [
        // kh in [max(0, lh - oy), min(kh, lh + h - oy)) reads a real row: taps [kh0 * rowTaps, kh1 * rowTaps)
        set("kh0", `(select ${i32(0)} (i32.sub ${get("lh")} ${get("oy")}) (i32.le_s ${get("lh")} ${get("oy")}))`),
        set("kh1", `(i32.sub ${add(get("lh"), get("h"))} ${get("oy")})`),
        `(if (i32.gt_s ${get("kh1")} ${get("kh")}) (then ${set("kh1", get("kh"))}))`,
        `(if (i32.lt_s ${get("kh1")} ${get("kh0")}) (then ${set("kh1", get("kh0"))}))`,
        set("t0", add(get("t"), shl2(mul(get("kh0"), get("rowTaps"))))),
        set("t1", add(get("t"), shl2(mul(get("kh1"), get("rowTaps"))))),
        set("rb", add(get("src"), shl2(mul(`(i32.sub ${get("oy")} ${get("lh")})`, get("wp"))))),
        set("yp", add(get("y"), mul(get("n"), get("ys")), shl2(mul(get("oy"), get("wo"))))),
        set("o", i32(0)),
        whileLoop("chan4", `(i32.le_u ${add(get("o"), i32(4))} ${get("co")})`, [
          set("f0", add(get("f"), shl2(add(mul(mul(get("kh0"), get("rowTaps")), get("co")), get("o"))))),
          ...forwardColumns(4),
          inc("yp", shl2(get("ps"))),
          inc("o", i32(4)),
        ]),
        ...[3, 2, 1].map((cols) =>
          lines(
            `(if (i32.eq (i32.sub ${get("co")} ${get("o")}) ${i32(cols)}) (then`,
            lines(set("f0", add(get("f"), shl2(add(mul(mul(get("kh0"), get("rowTaps")), get("co")), get("o"))))), ...forwardColumns(cols)),
            "))",
          ),
        ),
        inc("oy", i32(1)),
      ]),
    ]),
  ];
  return func("conv2d_f32(p, chunk, batch, scratch, out): direct stride-1 convolution of the samples it claims (see the set's comment)",
    `$conv2d_f32 (export "conv2d_f32") ${PARAMS}`, body.map((x) => (Array.isArray(x) ? lines(x) : x)));
}

/** Taps per filter-gradient block for a group of `vectors` output-channel vectors (accumulators + operands fit 16 registers). */
const TAPS_PER_BLOCK = { 1: 8, 2: 5, 3: 3, 4: 2 };

/**
 * One filter-gradient block: `taps` taps from tb times `vectors` channel vectors from group og, over the
 * sample's positions (input plane src, transposed gradient dyT [P][cop]), added into out[t, og + 4v].
 */
function filterBlock(vectors, taps) {
  const acc = (i, v) => `a${i}${v}`;
  const out = [];
  for (let i = 0; i < taps; i++) {
    out.push(set(`off${i}`, `(i32.load ${add(get("t"), shl2(add(get("tb"), i32(i))))})`));
    for (let v = 0; v < vectors; v++) out.push(set(acc(i, v), ZERO));
  }
  const step = [];
  for (let v = 0; v < vectors; v++) step.push(set(`d${v}`, `(v128.load offset=${16 * v} ${get("db")})`));
  for (let i = 0; i < taps; i++) {
    step.push(set("sv", `(v128.load32_splat ${add(get("xb"), get(`off${i}`))})`));
    for (let v = 0; v < vectors; v++) step.push(set(acc(i, v), `(f32x4.add ${get(acc(i, v))} (f32x4.mul ${get("sv")} ${get(`d${v}`)}))`));
  }
  const label = `${vectors}${taps}`;
  out.push(
    set("oy", i32(0)),
    set("db", add(get("dyt"), get("ogb"))),
    whileLoop(`fr${label}`, `(i32.lt_u ${get("oy")} ${get("ho")})`, [
      set("xb", add(get("src"), shl2(mul(get("oy"), get("wp"))))),
      set("xe", add(get("xb"), shl2(get("wo")))),
      whileLoop(`fp${label}`, `(i32.lt_u ${get("xb")} ${get("xe")})`, [...step, inc("xb", i32(4)), inc("db", get("rowT"))]),
      inc("oy", i32(1)),
    ]),
  );
  for (let i = 0; i < taps; i++) {
    for (let v = 0; v < vectors; v++) {
      const at = add(get("out"), shl2(add(mul(add(get("tb"), i32(i)), get("cop")), get("og"))), i32(16 * v));
      out.push(`(v128.store ${at} (f32x4.add (v128.load ${at}) ${get(acc(i, v))}))`);
    }
  }
  return out;
}

/** All taps of channel group og with `vectors` vectors: blocks of TAPS_PER_BLOCK taps, then one at a time. */
function filterGroup(vectors) {
  const per = TAPS_PER_BLOCK[vectors];
  return [
    set("tb", i32(0)),
    whileLoop(`fb${vectors}`, `(i32.le_u ${add(get("tb"), i32(per))} ${get("taps")})`, [...filterBlock(vectors, per), inc("tb", i32(per))]),
    whileLoop(`f1${vectors}`, `(i32.lt_u ${get("tb")} ${get("taps")})`, [...filterBlock(vectors, 1), inc("tb", i32(1))]),
  ];
}

/** dyT[p, o] = dy[o, p] of sample n (o < co; 0 for the padding channels up to cop): 4x4 blocks by shuffles, then single positions. */
function transposeGradient() {
  const dyAt = (o, p) => add(get("y"), mul(get("n"), get("ys")), shl2(add(mul(o, get("pp")), p)));
  const row = (k) => set(`d${k}`, `(if (result v128) (i32.lt_u ${add(get("r"), i32(k))} ${get("co")}) (then (v128.load ${dyAt(add(get("r"), i32(k)), get("ci"))})) (else ${ZERO}))`);
  const shuffle = (x, y, ...lanes) => `(i8x16.shuffle ${f32Lanes(...lanes)} ${get(x)} ${get(y)})`;
  const block = [
    row(0), row(1), row(2), row(3),
    set("a00", shuffle("d0", "d1", 0, 4, 1, 5)), set("a01", shuffle("d0", "d1", 2, 6, 3, 7)),
    set("a02", shuffle("d2", "d3", 0, 4, 1, 5)), set("a03", shuffle("d2", "d3", 2, 6, 3, 7)),
    ...[["a00", "a02", 0], ["a00", "a02", 2], ["a01", "a03", 0], ["a01", "a03", 2]].map(([x, y, l], k) =>
      `(v128.store ${add(get("dyt"), shl2(add(mul(add(get("ci"), i32(k)), get("cop")), get("r"))))} ${shuffle(x, y, l, l + 1, l + 4, l + 5)})`),
  ];
  return [
    set("ci", i32(0)),
    whileLoop("tp_b", `(i32.le_u ${add(get("ci"), i32(4))} ${get("pp")})`, [
      set("r", i32(0)),
      whileLoop("tp_c", `(i32.lt_u ${get("r")} ${get("cop")})`, [...block, inc("r", i32(4))]),
      inc("ci", i32(4)),
    ]),
    whileLoop("tp_p", `(i32.lt_u ${get("ci")} ${get("pp")})`, [
      set("r", i32(0)),
      whileLoop("tp_o", `(i32.lt_u ${get("r")} ${get("cop")})`, [
        `(f32.store ${add(get("dyt"), shl2(add(mul(get("ci"), get("cop")), get("r"))))} ` +
          `(if (result f32) (i32.lt_u ${get("r")} ${get("co")}) (then (f32.load ${dyAt(get("r"), get("ci"))})) (else (f32.const 0))))`,
        inc("r", i32(1)),
      ]),
      inc("ci", i32(1)),
    ]),
  ];
}

/** conv2d_filter_f32: see the file comment. */
function conv2dFilter() {
  const accs = [];
  for (let i = 0; i < 8; i++) for (let v = 0; v < 4; v++) accs.push(`a${i}${v}`);
  const body = [
    locals([...GEOMETRY, "n", "nEnd", "src", "ci", "r", "oy", "og", "ogb", "tb", "taps", "pp", "cop", "rowT", "dyt", "xb", "xe", "db", "padded",
      ...Array.from({ length: 8 }, (_, i) => `off${i}`)]),
    locals([...accs, "d0", "d1", "d2", "d3", "sv"], "v128"),
    ...loadGeometry(),
    set("taps", mul(mul(get("c"), get("kw")), get("kh"))),
    set("pp", mul(get("wo"), get("ho"))),
    set("cop", `(i32.and ${add(get("co"), i32(3))} ${i32(-4)})`),
    set("rowT", shl2(get("cop"))),
    set("dyt", get("scratch")),
    `(memory.fill ${get("out")} ${i32(0)} ${shl2(mul(get("taps"), get("cop")))})`,
    set("padded", `(i32.or (i32.ne ${get("wp")} ${get("w")}) (i32.ne ${get("hp")} ${get("h")}))`),
    ...claimedSamples([
      ...transposeGradient(),
      set("src", add(get("x"), mul(get("n"), get("xs")))),
      `(if ${get("padded")} (then`,
      lines(set("scratch", add(get("dyt"), shl2(mul(get("pp"), get("cop"))))), ...paddedCopy("h", "hp", get("lh"))),
      "))",
      set("og", i32(0)),
      whileLoop("groups", `(i32.lt_u ${get("og")} ${get("cop")})`, [
        set("ogb", shl2(get("og"))),
        ...[4, 3, 2, 1].map((vectors) =>
          lines(`(if (i32.eq (i32.shr_u (select ${i32(16)} (i32.sub ${get("cop")} ${get("og")}) (i32.ge_u (i32.sub ${get("cop")} ${get("og")}) ${i32(16)})) ${i32(2)}) ${i32(vectors)}) (then`, lines(filterGroup(vectors)), "))"),
        ),
        inc("og", i32(16)),
      ]),
    ]),
  ];
  return func("conv2d_filter_f32(p, chunk, batch, scratch, out): the filter gradient of the samples it claims, out [taps][co rounded up to 4] (see the set's comment)",
    `$conv2d_filter_f32 (export "conv2d_filter_f32") ${PARAMS}`, body.map((x) => (Array.isArray(x) ? lines(x) : x)));
}

/** WAT functions of this kernel set. */
export function convDirectF32Funcs() {
  return [conv2d(), conv2dFilter()];
}
