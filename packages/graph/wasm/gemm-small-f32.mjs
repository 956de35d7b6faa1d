// Small products, where the blocked GEMM's packing and 8x4 edge tiles cost more than the arithmetic:
// a convolution's per-image products such as [576 x 25] * [25 x 6], or its filter gradient
// [25 x 576] * [576 x 6]. Both kernels read the operands in place (no packing) and cover every row
// and column exactly (tails of 4 vectors, 1 vector, then scalars; 4, 3, 2 or 1 columns).
//
//   gemm_small_f32(ta, tb, m, n, k, a, b, c, acc, bias, epi) -> 1 when it ran, 0 (nothing done) when the
//     shape is not its own: C (m x n, column-major) (+)= op(A) op(B), the gemm_f32 contract, then the
//     GEMM epilogue (bias per row of C, then relu; gemm-epilogue-f32.mjs) on the finished sums;
//     - ta = 0 ("columns"), when n <= 16 or k <= 16, and m*k <= 65536 (A stays in cache while each group
//       of four columns of C reads it once): 8 rows x 4 columns of accumulators, A down a column as two
//       vectors, op(B) broadcast one element at a time (any tb);
//     - ta = 1, tb = 0 ("dots"), when min(m, n) <= 16 and k*(m+n) <= 65536: C[i, j] is the dot product
//       of A's column i and B's column j (both contiguous), four k at a time, 2 x 4 of them at once.
//   gemm_f32_job(...gemm_f32_epi_range's arguments): a worker's job; a whole product goes through
//     gemm_small_f32 first, a part of one (or a declined shape) to gemm_f32_epi_range.
//
// With acc, sums start from C ("columns") or are added to C at the end ("dots").
import { epilogueScalar, epilogueVec } from "./gemv-f32.mjs";
import { forRange, func, get, i32, inc, lines, locals, set, ZERO, add, shl2 } from "./wat.mjs";

/** Byte offset of column j (0..3) from `name0`: the locals `${step}1..3` hold 1, 2, 3 column strides. */
const colOff = (base, step, j) => (j === 0 ? get(base) : add(get(base), get(`${step}${j}`)));

/**
 * One tile of the columns kernel: `vectors` (2 or 1) f32x4 rows of A, or one scalar row (vectors 0),
 * times `cols` columns of op(B), at row i and column block j0 (C's column pointer cp).
 */
function columnsTile(vectors, cols) {
  const scalar = vectors === 0, parts = scalar ? 1 : vectors;
  const acc = (v, j) => `acc${v}${j}`;
  const cAddr = (v, j) => (scalar ? colOff("cp", "cs", j) : add(colOff("cp", "cs", j), i32(16 * v)));
  const load = scalar ? "f32.load" : "v128.load", store = scalar ? "f32.store" : "v128.store";
  const name = (v, j) => (scalar ? `s${j}` : acc(v, j));
  const zero = scalar ? "(f32.const 0)" : ZERO;
  const madd = (x, y, z) => (scalar ? `(f32.add ${x} (f32.mul ${y} ${z}))` : `(f32x4.add ${x} (f32x4.mul ${y} ${z}))`);
  const out = [];
  for (let v = 0; v < parts; v++) for (let j = 0; j < cols; j++) out.push(set(name(v, j), `(if (result ${scalar ? "f32" : "v128"}) ${get("acc")} (then (${load} ${cAddr(v, j)})) (else ${zero}))`));
  out.push(set("ap", add(get("a"), shl2(get("i")))), set("bp", get("bj")));
  const step = [];
  for (let v = 0; v < parts; v++) step.push(set(scalar ? "t0" : `av${v}`, scalar ? `(f32.load ${get("ap")})` : `(v128.load ${add(get("ap"), i32(16 * v))})`));
  for (let j = 0; j < cols; j++) {
    const bval = `(f32.load ${colOff("bp", "bs", j)})`;
    if (scalar) step.push(set(name(0, j), madd(get(name(0, j)), get("t0"), bval)));
    else {
      step.push(set("bv", `(v128.load32_splat ${colOff("bp", "bs", j)})`));
      for (let v = 0; v < parts; v++) step.push(set(name(v, j), madd(get(name(v, j)), get(`av${v}`), get("bv"))));
    }
  }
  step.push(inc("ap", get("lda")), inc("bp", get("bstep")));
  out.push(forRange("p", i32(0), get("k"), i32(1), step));
  for (let v = 0; v < parts; v++) {
    for (let j = 0; j < cols; j++) {
      const rowBytes = shl2(add(get("i"), i32(4 * v)));
      out.push(...(scalar ? epilogueScalar(name(v, j), rowBytes) : epilogueVec(name(v, j), rowBytes)), `(${store} ${cAddr(v, j)} ${get(name(v, j))})`);
    }
  }
  return out;
}

/** The columns kernel's rows for one block of `cols` columns: 8 rows, then 4, then one at a time. */
function columnsBlock(cols) {
  const rows = (label, width, vectors) => [
    `(block $${label}_end (loop $${label}_next`,
    `  (br_if $${label}_end (i32.gt_u ${add(get("i"), i32(width))} ${get("m")}))`,
    lines(columnsTile(vectors, cols)),
    `  ${inc("i", i32(width))}`,
    `  ${inc("cp", i32(4 * width))}`,
    `  (br $${label}_next)))`,
  ];
  return [set("i", i32(0)), set("cp", get("cj")), ...rows(`r8c${cols}`, 8, 2), ...rows(`r4c${cols}`, 4, 1), ...rows(`r1c${cols}`, 1, 0)];
}

/**
 * Blocks of four columns of C, then the 1-3 left over, each through `block(cols)`; `bs1` is the byte
 * stride between columns of op(B) (locals bs1..bs3, cs1..cs3 hold 1-3 column strides of op(B) and C).
 */
function columnBlocks(label, bs1, block) {
  return [
    set("bs1", bs1),
    set("bs2", `(i32.shl ${get("bs1")} ${i32(1)})`),
    set("bs3", add(get("bs1"), get("bs2"))),
    set("cs1", shl2(get("m"))),
    set("cs2", `(i32.shl ${get("cs1")} ${i32(1)})`),
    set("cs3", add(get("cs1"), get("cs2"))),
    set("j", i32(0)), set("bj", get("b")), set("cj", get("c")),
    `(block $${label}_end (loop $${label}_next`,
    `  (br_if $${label}_end (i32.gt_u ${add(get("j"), i32(4))} ${get("n")}))`,
    lines(block(4)),
    `  ${inc("j", i32(4))}`,
    `  ${inc("bj", `(i32.shl ${get("bs1")} ${i32(2)})`)}`,
    `  ${inc("cj", `(i32.shl ${get("cs1")} ${i32(2)})`)}`,
    `  (br $${label}_next)))`,
    ...[3, 2, 1].map((cols) => `(if (i32.eq (i32.sub ${get("n")} ${get("j")}) ${i32(cols)}) (then\n${lines(block(cols))}))`),
  ];
}

/** C (+)= A op(B), A m x k column-major; op(B)[p, j] is at b + p*bstep + j*bs1. */
function columnsKernel() {
  return [
    set("lda", shl2(get("m"))),
    set("bstep", `(select ${shl2(get("n"))} ${i32(4)} ${get("tb")})`),
    ...columnBlocks("cols", `(select ${i32(4)} ${shl2(get("k"))} ${get("tb")})`, columnsBlock),
  ];
}

const hsum = (v) => `(f32.add (f32.add (f32x4.extract_lane 0 ${v}) (f32x4.extract_lane 1 ${v})) (f32.add (f32x4.extract_lane 2 ${v}) (f32x4.extract_lane 3 ${v})))`;

/** One tile of the dots kernel: `rows` (2 or 1) columns of A against `cols` columns of B. */
function dotsTile(rows, cols) {
  const acc = (r, j) => `acc${r}${j}`, s = (r, j) => `s${r}${j}`;
  const aCol = (r) => (r === 0 ? get("ap") : add(get("ap"), get("kb")));
  const bCol = (j) => colOff("bj", "bs", j);
  const out = [];
  for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) out.push(set(acc(r, j), ZERO));
  const step = [];
  for (let r = 0; r < rows; r++) step.push(set(`av${r}`, `(v128.load ${add(aCol(r), get("p"))})`));
  for (let j = 0; j < cols; j++) {
    step.push(set("bv", `(v128.load ${add(bCol(j), get("p"))})`));
    for (let r = 0; r < rows; r++) step.push(set(acc(r, j), `(f32x4.add ${get(acc(r, j))} (f32x4.mul ${get(`av${r}`)} ${get("bv")}))`));
  }
  out.push(forRange("p", i32(0), get("kv"), i32(16), step));
  for (let r = 0; r < rows; r++) for (let j = 0; j < cols; j++) out.push(set(s(r, j), hsum(get(acc(r, j)))));
  const tail = [];
  for (let r = 0; r < rows; r++) tail.push(set(`t${r}`, `(f32.load ${add(aCol(r), get("p"))})`));
  for (let j = 0; j < cols; j++) {
    tail.push(set("u", `(f32.load ${add(bCol(j), get("p"))})`));
    for (let r = 0; r < rows; r++) tail.push(set(s(r, j), `(f32.add ${get(s(r, j))} (f32.mul ${get(`t${r}`)} ${get("u")}))`));
  }
  out.push(forRange("p", get("kv"), get("kb"), i32(4), tail));
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < cols; j++) {
      const at = add(colOff("cp", "cs", j), i32(4 * r));
      out.push(`(if ${get("acc")} (then ${set(s(r, j), `(f32.add (f32.load ${at}) ${get(s(r, j))})`)}))`);
      out.push(...epilogueScalar(s(r, j), shl2(add(get("i"), i32(r)))), `(f32.store ${at} ${get(s(r, j))})`);
    }
  }
  return out;
}

/** The dots kernel's rows for one block of `cols` columns: two at a time, then the last one. */
function dotsBlock(cols) {
  const rows = (label, width) => [
    `(block $${label}_end (loop $${label}_next`,
    `  (br_if $${label}_end (i32.gt_u ${add(get("i"), i32(width))} ${get("m")}))`,
    lines(dotsTile(width, cols)),
    `  ${inc("i", i32(width))}`,
    `  ${inc("ap", `(i32.mul ${get("kb")} ${i32(width)})`)}`,
    `  ${inc("cp", i32(4 * width))}`,
    `  (br $${label}_next)))`,
  ];
  return [set("i", i32(0)), set("ap", get("a")), set("cp", get("cj")), ...rows(`d2c${cols}`, 2), ...rows(`d1c${cols}`, 1)];
}

/** C (+)= Aᵀ B with A k x m and B k x n column-major. */
function dotsKernel() {
  return [
    set("kb", shl2(get("k"))),
    set("kv", shl2(`(i32.and ${get("k")} ${i32(-4)})`)),
    ...columnBlocks("dcols", get("kb"), dotsBlock),
  ];
}

const PARAMS = "(param $ta i32) (param $tb i32) (param $m i32) (param $n i32) (param $k i32) (param $a i32) (param $b i32) (param $c i32) (param $acc i32)";
const EPILOGUE = "(param $bias i32) (param $epi i32)";
const ACCS = Array.from({ length: 2 }, (_, v) => Array.from({ length: 4 }, (_, j) => `acc${v}${j}`)).flat();
const SUMS = ["s0", "s1", "s2", "s3", ...Array.from({ length: 2 }, (_, r) => Array.from({ length: 4 }, (_, j) => `s${r}${j}`)).flat()];

/** WAT functions of this kernel set. */
export function gemmSmallF32Funcs() {
  const small = (x) => `(i32.le_u ${x} ${i32(16)})`;
  const columnsFits = `(i32.and (i32.or ${small(get("n"))} ${small(get("k"))}) (i32.le_u (i32.mul ${get("m")} ${get("k")}) ${i32(65536)}))`;
  const dotsFits = `(i32.and (i32.and (i32.eqz ${get("tb")}) (i32.or ${small(get("m"))} ${small(get("n"))})) (i32.le_u (i32.mul ${get("k")} ${add(get("m"), get("n"))}) ${i32(65536)}))`;
  return [
    func(
      "gemm_small_f32(ta, tb, m, n, k, a, b, c, acc, bias, epi) -> 1 if it computed C = epilogue(C (+)= op(A) op(B)) in place (small shapes, see gemm-small-f32.mjs), else 0",
      `$gemm_small_f32 (export "gemm_small_f32") ${PARAMS} ${EPILOGUE} (result i32)`,
      [
        `${locals(["i", "j", "p", "ap", "bp", "bj", "cp", "cj", "lda", "bstep", "kb", "kv", "bs1", "bs2", "bs3", "cs1", "cs2", "cs3"])}`,
        `${locals([...ACCS, "av0", "av1", "bv"], "v128")} ${locals([...SUMS, "t0", "t1", "u"], "f32")}`,
        `(if (i32.or (i32.or (i32.eqz ${get("m")}) (i32.eqz ${get("n")})) (i32.eqz ${get("k")})) (then (return ${i32(0)})))`,
        `(if (i32.eqz ${get("ta")}) (then`,
        `  (if (i32.eqz ${columnsFits}) (then (return ${i32(0)})))`,
        lines(columnsKernel()),
        `  (return ${i32(1)})))`,
        `(if (i32.eqz ${dotsFits}) (then (return ${i32(0)})))`,
        lines(dotsKernel()),
        i32(1),
      ],
    ),
    func(
      "gemm_f32_job(ta, tb, m, n, k, a, b, c, acc, pack, m0, m1, n0, n1, bias, epi): a worker's GEMM job (whole small products in place, the rest blocked)",
      `$gemm_f32_job (export "gemm_f32_job") ${PARAMS} (param $pack i32) (param $m0 i32) (param $m1 i32) (param $n0 i32) (param $n1 i32) ${EPILOGUE}`,
      [
        `(if (i32.eqz (i32.or (i32.or ${get("m0")} ${get("n0")}) (i32.or (i32.ne ${get("m1")} ${get("m")}) (i32.ne ${get("n1")} ${get("n")})))) (then`,
        `  (if (call $gemm_small_f32 ${["ta", "tb", "m", "n", "k", "a", "b", "c", "acc", "bias", "epi"].map(get).join(" ")}) (then (return)))))`,
        `(call $gemm_f32_epi_range ${["ta", "tb", "m", "n", "k", "a", "b", "c", "acc", "pack", "m0", "m1", "n0", "n1", "bias", "epi"].map(get).join(" ")})`,
      ],
    ),
  ];
}
