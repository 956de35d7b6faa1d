// The filter gradient of a direct stride-1 convolution (see conv-direct-f32.mjs for the word block and
// the sample claiming):
//
//   conv2d_filter_f32(p, chunk, batch, scratch, out): out[t, o] = Σ_n Σ_oy Σ_ox src[...] * dy[ox, oy, o, n],
//     in tap order, over the samples this call claims (each thread has its own `out`, [taps][co rounded up
//     to 4]). Each sample's dy is first transposed into `scratch` as [positions][outputs], so a step reads
//     one input value (broadcast) per tap and whole vectors of output channels; with any padding, the
//     sample's input is copied into a zero-bordered plane after it.
import { f32Lanes, func, get, set, i32, inc, locals, lines, whileLoop, ZERO, add, mul, shl2 } from "./wat.mjs";
import { PARAMS, GEOMETRY, loadGeometry, claimedSamples, CLAIM_LOCALS, paddedCopy } from "./conv-common-f32.mjs";

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
export function conv2dFilter() {
  const accs = [];
  for (let i = 0; i < 8; i++) for (let v = 0; v < 4; v++) accs.push(`a${i}${v}`);
  const body = [
    locals([...GEOMETRY, ...CLAIM_LOCALS, "n", "nEnd", "src", "ci", "r", "oy", "og", "ogb", "tb", "taps", "pp", "cop", "rowT", "dyt", "xb", "xe", "db", "padded",
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

