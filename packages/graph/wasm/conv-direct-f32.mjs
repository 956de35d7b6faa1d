// Direct 2-d convolution with stride 1 (implicit GEMM: the column matrix is never written). Output row oy
// of channel o is Σ over taps t = (kh, c, kw) of an input row shifted by the tap, times the filter's
// weight; with stride 1 the shifted row is contiguous, so a tile of 8 output columns is two vector loads
// straight from the input. Every kernel of the set reads a word block `p` (conv-common-f32.mjs) and claims
// samples `chunk` at a time (work-claim.mjs; `thread` is this thread's number): the calling thread and
// worker lanes run the same call and share the batch however early or late each starts.
//
//   conv2d_f32(p, chunk, batch, scratch, out, thread): y[:, oy, o, n] = Σ_t src[(oy + kh - lh) row, kw + ...] * f[t, o],
//     then the epilogue (bias per output channel, relu). Taps whose input row is padding are skipped
//     (rows are clipped per output row); padding in W is a zero-bordered copy of the sample in `scratch`.
//     Filter f is packed [taps][outputs] (outputs fastest); the tap table holds each tap's byte offset in
//     the (padded) input plane.
//   conv2d_filter_f32: the filter gradient (conv-filter-f32.mjs); conv2d_data_f32: the data gradient (conv-data-f32.mjs).
import { func, get, set, i32, inc, locals, lines, whileLoop, ZERO, add, mul, shl2 } from "./wat.mjs";
import { EPI_BIAS, EPI_RELU } from "./gemm-epilogue-f32.mjs";
import { PARAMS, GEOMETRY, loadGeometry, claimedSamples, CLAIM_LOCALS, paddedCopy, registerTile, TILE_LOCALS } from "./conv-common-f32.mjs";
import { conv2dFilter } from "./conv-filter-f32.mjs";
import { conv2dData } from "./conv-data-f32.mjs";

export { CONV_WORDS } from "./conv-common-f32.mjs";

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
  const { scalar, parts, acc, zero, step } = registerTile(vectors, cols, get("off"));
  const out = [...zero, set("xb", add(get("rb"), shl2(get("ox")))), set("tp", get("t0")), set("fp", get("f0"))];
  step.unshift(set("off", add(get("xb"), `(i32.load ${get("tp")})`)));
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
    locals([...GEOMETRY, ...CLAIM_LOCALS, "n", "nEnd", "src", "ci", "r", "oy", "o", "ox", "kh0", "kh1", "rowTaps", "t0", "t1", "tp", "fp", "f0", "fs", "rb", "xb", "off", "yp", "ps", "padded"]),
    ...TILE_LOCALS,
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

/** WAT functions of this kernel set. */
export function convDirectF32Funcs() {
  return [conv2d(), conv2dFilter(), conv2dData()];
}
