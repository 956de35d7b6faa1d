// Direct 2-d convolution with stride 1 (implicit GEMM: the column matrix is never written). Output row oy
// of channel o is Σ over taps t = (kh, c, kw) of an input row shifted by the tap, times the filter's
// weight; with stride 1 the shifted row is contiguous, so a tile of 8 output columns is two vector loads
// straight from the input. Both kernels read a word block `p` (layout CONV_WORDS, filled by
// kernels/conv-direct.ts) and do samples [n0, n1) of it, so a worker can take half of a batch.
//
//   conv2d_f32(p, n0, n1, scratch, out): y[:, oy, o, n] = Σ_t src[(oy + kh - lh) row, kw + ...] * f[t, o],
//     then the epilogue (bias per output channel, relu). Taps whose input row is padding are skipped
//     (rows are clipped per output row); padding in W is a zero-bordered copy of the sample in `scratch`.
//   conv2d_filter_f32(p, n0, n1, scratch, out): out[t, o] = Σ_n Σ_oy Σ_ox src[...] * dy[ox, oy, o, n], the
//     filter gradient in tap order, for the job's samples only (each thread has its own `out`). With any
//     padding, each sample is first copied into a zero-bordered plane in `scratch`.
//
// Filter f is packed [taps][outputs] (outputs fastest, stride `co`); the tap table holds each tap's byte
// offset in the (padded) input plane.
import { func, get, set, i32, inc, locals, lines, whileLoop } from "./wat.mjs";
import { EPI_BIAS, EPI_RELU } from "./gemm-epilogue-f32.mjs";

/** Word indices of the parameter block (Int32). */
export const CONV_WORDS = {
  X: 0, XS: 1, W: 2, H: 3, C: 4, LW: 5, LH: 6, WP: 7, HP: 8,
  Y: 9, YS: 10, WO: 11, HO: 12, CO: 13, F: 14, T: 15, KW: 16, KH: 17, BIAS: 18, EPI: 19,
  /** words in all */
  SIZE: 20,
};

const ZERO = "(v128.const i32x4 0 0 0 0)";
const add = (...xs) => xs.reduce((a, b) => `(i32.add ${a} ${b})`);
const mul = (a, b) => `(i32.mul ${a} ${b})`;
const shl2 = (x) => `(i32.shl ${x} ${i32(2)})`;
const word = (name) => `(i32.load offset=${4 * CONV_WORDS[name]} ${get("p")})`;
const PARAMS = `(param $p i32) (param $n0 i32) (param $n1 i32) (param $scratch i32) (param $out i32)`;
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
    locals([...GEOMETRY, "n", "src", "ci", "r", "oy", "o", "ox", "kh0", "kh1", "rowTaps", "t0", "t1", "tp", "fp", "f0", "fs", "rb", "xb", "off", "yp", "ps", "padded"]),
    locals(["a00", "a01", "a02", "a03", "a10", "a11", "a12", "a13", "x0", "x1", "wv"], "v128"),
    locals(["s", "q0", "q1", "q2", "q3"], "f32"),
    ...loadGeometry(),
    set("rowTaps", mul(get("c"), get("kw"))),
    set("fs", shl2(get("co"))),
    set("ps", shl2(mul(get("wo"), get("ho")))),
    set("padded", `(i32.ne ${get("wp")} ${get("w")})`),
    set("n", get("n0")),
    whileLoop("sample", `(i32.lt_u ${get("n")} ${get("n1")})`, [
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
      inc("n", i32(1)),
    ]),
  ];
  return func("conv2d_f32(p, n0, n1, scratch, out): direct stride-1 convolution of samples [n0, n1) (see the set's comment)",
    `$conv2d_f32 (export "conv2d_f32") ${PARAMS}`, body.map((x) => (Array.isArray(x) ? lines(x) : x)));
}

/** Horizontal sum of vector local `name`. */
const hsum = (name) => [0, 1, 2, 3].map((l) => `(f32x4.extract_lane ${l} ${get(name)})`).reduce((a, b) => `(f32.add ${a} ${b})`);

/**
 * One filter-gradient block: `taps` (2 or 1) taps from tap tb times `cols` output channels from o, summed
 * over `count` samples (planes at src + s * sstride, gradients at dy + s * ys) into out[t, o + j].
 */
function filterBlock(taps, cols) {
  const acc = (i, j) => `a${i}${j}`, sc = (i, j) => `s${i}${j}`;
  const out = [];
  for (let i = 0; i < taps; i++) {
    out.push(set(`off${i}`, `(i32.load ${add(get("t"), shl2(add(get("tb"), i32(i))))})`));
    for (let j = 0; j < cols; j++) out.push(set(acc(i, j), ZERO), set(sc(i, j), "(f32.const 0)"));
  }
  const vecStep = [];
  for (let i = 0; i < taps; i++) vecStep.push(set(`x${i}`, `(v128.load ${add(get("xb"), get(`off${i}`))})`));
  const sclStep = [];
  for (let i = 0; i < taps; i++) sclStep.push(set(`e${i}`, `(f32.load ${add(get("xb"), get(`off${i}`))})`));
  for (let j = 0; j < cols; j++) {
    vecStep.push(set("dv", `(v128.load ${add(get("db"), mul(get("ps"), i32(j)))})`));
    sclStep.push(set("d", `(f32.load ${add(get("db"), mul(get("ps"), i32(j)))})`));
    for (let i = 0; i < taps; i++) {
      vecStep.push(set(acc(i, j), `(f32x4.add ${get(acc(i, j))} (f32x4.mul ${get(`x${i}`)} ${get("dv")}))`));
      sclStep.push(set(sc(i, j), `(f32.add ${get(sc(i, j))} (f32.mul ${get(`e${i}`)} ${get("d")}))`));
    }
  }
  const label = `${taps}${cols}`;
  out.push(
    set("sn", i32(0)),
    whileLoop(`fs${label}`, `(i32.lt_u ${get("sn")} ${get("count")})`, [
      set("oy", i32(0)),
      whileLoop(`fr${label}`, `(i32.lt_u ${get("oy")} ${get("ho")})`, [
        set("xb", add(get("sbase"), mul(get("sn"), get("sstride")), shl2(mul(get("oy"), get("wp"))))),
        set("db", add(get("dbase"), mul(get("sn"), get("ys")), shl2(mul(get("oy"), get("wo"))), mul(get("o"), get("ps")))),
        set("xe", add(get("xb"), shl2(get("wo4")))),
        whileLoop(`fv${label}`, `(i32.lt_u ${get("xb")} ${get("xe")})`, [...vecStep, inc("xb", i32(16)), inc("db", i32(16))]),
        set("xe", add(get("xe"), shl2(`(i32.sub ${get("wo")} ${get("wo4")})`))),
        whileLoop(`ft${label}`, `(i32.lt_u ${get("xb")} ${get("xe")})`, [...sclStep, inc("xb", i32(4)), inc("db", i32(4))]),
        inc("oy", i32(1)),
      ]),
      inc("sn", i32(1)),
    ]),
  );
  for (let i = 0; i < taps; i++) {
    for (let j = 0; j < cols; j++) {
      const at = add(get("out"), shl2(add(mul(add(get("tb"), i32(i)), get("co")), get("o"), i32(j))));
      out.push(`(f32.store ${at} (f32.add (f32.load ${at}) (f32.add ${hsum(acc(i, j))} ${get(sc(i, j))})))`);
    }
  }
  return out;
}

/** Every block of the filter gradient over `count` samples: tap pairs (then one), channel blocks of 4 (then 3, 2, 1). */
function filterPass() {
  const channels = (taps) => [
    set("o", i32(0)),
    whileLoop(`fc${taps}`, `(i32.le_u ${add(get("o"), i32(4))} ${get("co")})`, [...filterBlock(taps, 4), inc("o", i32(4))]),
    ...[3, 2, 1].map((cols) => lines(`(if (i32.eq (i32.sub ${get("co")} ${get("o")}) ${i32(cols)}) (then`, lines(filterBlock(taps, cols)), "))")),
  ];
  return [
    set("tb", i32(0)),
    whileLoop("fpair", `(i32.le_u ${add(get("tb"), i32(2))} ${get("taps")})`, [...channels(2), inc("tb", i32(2))]),
    `(if (i32.lt_u ${get("tb")} ${get("taps")}) (then`,
    lines(channels(1)),
    "))",
  ];
}

/** conv2d_filter_f32: see the file comment. */
function conv2dFilter() {
  const accs = [];
  for (let i = 0; i < 2; i++) for (let j = 0; j < 4; j++) accs.push(`a${i}${j}`);
  const body = [
    locals([...GEOMETRY, "n", "src", "ci", "r", "oy", "o", "tb", "taps", "off0", "off1", "xb", "xe", "db", "ps", "wo4", "sn", "count", "sbase", "sstride", "dbase", "padded"]),
    locals([...accs, "x0", "x1", "dv"], "v128"),
    locals([...accs.map((a) => `s${a.slice(1)}`), "e0", "e1", "d"], "f32"),
    ...loadGeometry(),
    set("taps", mul(mul(get("c"), get("kw")), get("kh"))),
    set("ps", shl2(mul(get("wo"), get("ho")))),
    set("wo4", `(i32.and ${get("wo")} ${i32(-4)})`),
    `(memory.fill ${get("out")} ${i32(0)} ${shl2(mul(get("taps"), get("co")))})`,
    set("padded", `(i32.or (i32.ne ${get("wp")} ${get("w")}) (i32.ne ${get("hp")} ${get("h")}))`),
    `(if ${get("padded")} (then`,
    lines(
      set("n", get("n0")),
      whileLoop("sample", `(i32.lt_u ${get("n")} ${get("n1")})`, [
        set("src", add(get("x"), mul(get("n"), get("xs")))),
        ...paddedCopy("h", "hp", get("lh")),
        set("sbase", get("scratch")), set("sstride", i32(0)), set("count", i32(1)),
        set("dbase", add(get("y"), mul(get("n"), get("ys")))),
        ...filterPass(),
        inc("n", i32(1)),
      ]),
    ),
    ") (else",
    lines(
      set("sbase", add(get("x"), mul(get("n0"), get("xs")))), set("sstride", get("xs")),
      set("count", `(i32.sub ${get("n1")} ${get("n0")})`),
      set("dbase", add(get("y"), mul(get("n0"), get("ys")))),
      ...filterPass(),
    ),
    "))",
  ];
  return func("conv2d_filter_f32(p, n0, n1, scratch, out): the filter gradient of samples [n0, n1) in tap order (see the set's comment)",
    `$conv2d_filter_f32 (export "conv2d_filter_f32") ${PARAMS}`, body.map((x) => (Array.isArray(x) ? lines(x) : x)));
}

/** WAT functions of this kernel set. */
export function convDirectF32Funcs() {
  return [conv2d(), conv2dFilter()];
}
