// The data gradient of a direct stride-1 convolution (see conv-direct-f32.mjs for the word block and the
// sample claiming), as a scatter: every output-gradient row oy, for every filter tap (kh, kw), adds
//   dx[ox + kw - lw, oy + kh - lh, o] += Σ_c dy[ox, oy, c] * f[kh, kw, c, o]
// for a tile of 8 (or 4, or 1) columns ox and 4 (to 1) input channels o at a time, so only real products
// are computed (no zero padding of dy). Rows iy outside dx are skipped; with padding in W, each sample's dx
// is built in a zero-bordered plane in `scratch` and its inner columns copied out.
//
//   conv2d_data_f32(p, chunk, batch, scratch, out): words as conv2d_f32's with the input x = dy (w, h, c =
//     its width, height, channels), y = dx (wo, ho, co), lw, lh = the conv's low padding, wp = dx's padded
//     width, f packed [kh][kw][c][co] (co fastest).
import { func, get, set, i32, inc, locals, lines, whileLoop, add, mul, shl2 } from "./wat.mjs";
import { PARAMS, GEOMETRY, loadGeometry, claimedSamples, CLAIM_LOCALS, registerTile, TILE_LOCALS } from "./conv-common-f32.mjs";

/** One tile: `vectors` (2, 1, or 0 = one column) times `cols` channels from o, at column ox of dy row oy, added into dx. */
function scatterTile(vectors, cols) {
  const { scalar, parts, acc, zero, step } = registerTile(vectors, cols, get("dp"));
  const out = [...zero, set("dp", add(get("drow"), shl2(get("ox")))), set("fp", add(get("ftap"), shl2(get("o")))), set("cc", i32(0))];
  step.push(inc("dp", get("dplaneIn")), inc("fp", get("fstep")), inc("cc", i32(1)));
  out.push(whileLoop(`k${vectors}${cols}`, `(i32.lt_u ${get("cc")} ${get("c")})`, step));
  for (let j = 0; j < cols; j++) {
    for (let v = 0; v < parts; v++) {
      const at = add(get("rowDst"), mul(add(get("o"), i32(j)), get("dplane")), shl2(get("ox")));
      out.push(scalar
        ? `(f32.store ${at} (f32.add (f32.load ${at}) ${get(acc(0, j))}))`
        : `(v128.store offset=${16 * v} ${at} (f32x4.add (v128.load offset=${16 * v} ${at}) ${get(acc(v, j))}))`);
    }
  }
  return out;
}

/** The columns of one dy row for a block of `cols` channels: 8 at a time, then 4, then one by one. */
function scatterColumns(cols) {
  const run = (label, width, vectors) =>
    whileLoop(`${label}${cols}`, `(i32.le_u ${add(get("ox"), i32(width))} ${get("w")})`, [...scatterTile(vectors, cols), inc("ox", i32(width))]);
  return [set("ox", i32(0)), run("sx8_", 8, 2), run("sx4_", 4, 1), run("sx1_", 1, 0)];
}

/** conv2d_data_f32: see the file comment. */
export function conv2dData() {
  const body = [
    locals([...GEOMETRY, ...CLAIM_LOCALS, "n", "nEnd", "src", "dst", "dstW", "dplane", "dplaneIn", "fstep", "padded", "oy", "iy", "khi", "kwi", "o", "ox", "cc",
      "drow", "rowDst", "ftap", "dp", "fp", "ci", "r"]),
    ...TILE_LOCALS,
    ...loadGeometry(),
    set("padded", `(i32.ne ${get("wp")} ${get("wo")})`),
    set("dstW", `(select ${get("wp")} ${get("wo")} ${get("padded")})`),
    set("dplane", shl2(mul(get("dstW"), get("ho")))),
    set("dplaneIn", shl2(mul(get("w"), get("h")))),
    set("fstep", shl2(get("co"))),
    ...claimedSamples([
      set("src", add(get("x"), mul(get("n"), get("xs")))),
      set("dst", `(select ${get("scratch")} ${add(get("y"), mul(get("n"), get("ys")))} ${get("padded")})`),
      `(memory.fill ${get("dst")} ${i32(0)} ${mul(get("dplane"), get("co"))})`,
      set("oy", i32(0)),
      whileLoop("row", `(i32.lt_u ${get("oy")} ${get("h")})`, [
        set("drow", add(get("src"), shl2(mul(get("oy"), get("w"))))),
        set("khi", i32(0)),
        whileLoop("taprow", `(i32.lt_u ${get("khi")} ${get("kh")})`, [
          set("iy", `(i32.sub ${add(get("oy"), get("khi"))} ${get("lh")})`),
          `(if (i32.lt_u ${get("iy")} ${get("ho")}) (then`,
          lines(
            set("kwi", i32(0)),
            whileLoop("tapcol", `(i32.lt_u ${get("kwi")} ${get("kw")})`, [
              set("rowDst", add(get("dst"), shl2(add(mul(get("iy"), get("dstW")), get("kwi"))))),
              set("ftap", add(get("f"), shl2(mul(mul(add(mul(get("khi"), get("kw")), get("kwi")), get("c")), get("co"))))),
              set("o", i32(0)),
              whileLoop("chan4", `(i32.le_u ${add(get("o"), i32(4))} ${get("co")})`, [...scatterColumns(4), inc("o", i32(4))]),
              ...[3, 2, 1].map((cols) => lines(`(if (i32.eq (i32.sub ${get("co")} ${get("o")}) ${i32(cols)}) (then`, lines(scatterColumns(cols)), "))")),
              inc("kwi", i32(1)),
            ]),
          ),
          "))",
          inc("khi", i32(1)),
        ]),
        inc("oy", i32(1)),
      ]),
      `(if ${get("padded")} (then`,
      lines(
        set("ci", i32(0)),
        whileLoop("out_r", `(i32.lt_u ${get("ci")} ${mul(get("co"), get("ho"))})`, [
          `(memory.copy ${add(get("y"), mul(get("n"), get("ys")), shl2(mul(get("ci"), get("wo"))))} ${add(get("dst"), shl2(add(mul(get("ci"), get("dstW")), get("lw"))))} ${shl2(get("wo"))})`,
          inc("ci", i32(1)),
        ]),
      ),
      "))",
    ]),
  ];
  return func("conv2d_data_f32(p, chunk, batch, scratch, out): the data gradient of the samples it claims, as a scatter (see the file comment)",
    `$conv2d_data_f32 (export "conv2d_data_f32") ${PARAMS}`, body.map((x) => (Array.isArray(x) ? lines(x) : x)));
}
