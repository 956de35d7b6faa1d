// Skinny products, where the blocked GEMM's packing costs more than the arithmetic: a matrix times a
// vector (n = 1, or m = 1 read transposed) and an outer product (k = 1). Each reads its operands once,
// in place, and takes the GEMM epilogue (bias per row of C, then relu; gemm-epilogue-f32.mjs).
//
//   gemv_f32(ta, m, k, a, x, y, bias, epi):  y = op(A) x, op(A) m x k; A is m x k column-major (ta = 0)
//                                           or k x m column-major read as its transpose (ta = 1)
//   ger_f32(m, n, a, b, c, bias, epi):       C = a bᵀ, C m x n column-major
//
// Sums start at +0 and run over k in order, one Float32 multiply and add at a time, as the GEMM's
// accumulators do (ta = 1: four partial sums over k mod 4, then added together).
import { EPI_BIAS, EPI_RELU } from "./gemm-epilogue-f32.mjs";
import { forRange, func, get, i32, inc, lines, locals, set, ZERO } from "./wat.mjs";


/** The epilogue on vector local `name` for rows at byte offset `rowBytes` of the bias. */
export function epilogueVec(name, rowBytes) {
  return [
    `(if (i32.and ${get("epi")} ${i32(EPI_BIAS)}) (then ${set(name, `(f32x4.add ${get(name)} (v128.load (i32.add ${get("bias")} ${rowBytes})))`)}))`,
    `(if (i32.and ${get("epi")} ${i32(EPI_RELU)}) (then ${set(name, `(v128.bitselect ${ZERO} ${get(name)} (f32x4.lt ${get(name)} ${ZERO}))`)}))`,
  ];
}

/** The epilogue on scalar local `name` for the row at byte offset `rowBytes` of the bias. */
export function epilogueScalar(name, rowBytes) {
  return [
    `(if (i32.and ${get("epi")} ${i32(EPI_BIAS)}) (then ${set(name, `(f32.add ${get(name)} (f32.load (i32.add ${get("bias")} ${rowBytes})))`)}))`,
    `(if (i32.and ${get("epi")} ${i32(EPI_RELU)}) (then ${set(name, `(select (f32.const 0) ${get(name)} (f32.lt ${get(name)} (f32.const 0)))`)}))`,
  ];
}

/** y = A x for column-major A (m x k): sixteen rows (four vectors, one cache line a column) at a time. */
function gemvColumns() {
  const acc = (v) => `acc${v}`;
  const colAddr = (v) => `(i32.add ${get("ap")} ${i32(16 * v)})`;
  const block = (vectors) => [
    ...Array.from({ length: vectors }, (_, v) => set(acc(v), ZERO)),
    set("ap", `(i32.add ${get("a")} (i32.shl ${get("i")} ${i32(2)}))`),
    forRange("p", i32(0), get("k"), i32(1), [
      set("xv", `(f32x4.splat (f32.load (i32.add ${get("x")} (i32.shl ${get("p")} ${i32(2)}))))`),
      ...Array.from({ length: vectors }, (_, v) => set(acc(v), `(f32x4.add ${get(acc(v))} (f32x4.mul (v128.load ${colAddr(v)}) ${get("xv")}))`)),
      inc("ap", get("lda")),
    ]),
    ...Array.from({ length: vectors }, (_, v) => [
      ...epilogueVec(acc(v), `(i32.shl (i32.add ${get("i")} ${i32(4 * v)}) ${i32(2)})`),
      `(v128.store (i32.add ${get("y")} (i32.shl (i32.add ${get("i")} ${i32(4 * v)}) ${i32(2)})) ${get(acc(v))})`,
    ]).flat(),
  ];
  return [
    set("lda", `(i32.shl ${get("m")} ${i32(2)})`),
    set("i", i32(0)),
    `(block $wide_end (loop $wide_next`,
    `  (br_if $wide_end (i32.gt_u (i32.add ${get("i")} ${i32(16)}) ${get("m")}))`,
    lines(block(4)),
    `  ${inc("i", i32(16))}`,
    "  (br $wide_next)))",
    `(block $vec_end (loop $vec_next`,
    `  (br_if $vec_end (i32.gt_u (i32.add ${get("i")} ${i32(4)}) ${get("m")}))`,
    lines(block(1)),
    `  ${inc("i", i32(4))}`,
    "  (br $vec_next)))",
    forRange("i", get("i"), get("m"), i32(1), [
      set("s", "(f32.const 0)"),
      set("ap", `(i32.add ${get("a")} (i32.shl ${get("i")} ${i32(2)}))`),
      forRange("p", i32(0), get("k"), i32(1), [
        set("s", `(f32.add ${get("s")} (f32.mul (f32.load ${get("ap")}) (f32.load (i32.add ${get("x")} (i32.shl ${get("p")} ${i32(2)})))))`),
        inc("ap", get("lda")),
      ]),
      ...epilogueScalar("s", `(i32.shl ${get("i")} ${i32(2)})`),
      `(f32.store (i32.add ${get("y")} (i32.shl ${get("i")} ${i32(2)})) ${get("s")})`,
    ]),
  ];
}

/** y = Aᵀ x for column-major A (k x m): y[i] is the dot product of column i with x. */
function gemvDots() {
  return [
    set("kv", `(i32.shl (i32.and ${get("k")} ${i32(-4)}) ${i32(2)})`),
    set("kb", `(i32.shl ${get("k")} ${i32(2)})`),
    forRange("i", i32(0), get("m"), i32(1), [
      set("ap", `(i32.add ${get("a")} (i32.mul ${get("i")} ${get("kb")}))`),
      set("acc0", ZERO),
      forRange("p", i32(0), get("kv"), i32(16), [
        set("acc0", `(f32x4.add ${get("acc0")} (f32x4.mul (v128.load (i32.add ${get("ap")} ${get("p")})) (v128.load (i32.add ${get("x")} ${get("p")}))))`),
      ]),
      set("s", `(f32.add (f32.add (f32x4.extract_lane 0 ${get("acc0")}) (f32x4.extract_lane 1 ${get("acc0")})) (f32.add (f32x4.extract_lane 2 ${get("acc0")}) (f32x4.extract_lane 3 ${get("acc0")})))`),
      forRange("p", get("kv"), get("kb"), i32(4), [
        set("s", `(f32.add ${get("s")} (f32.mul (f32.load (i32.add ${get("ap")} ${get("p")})) (f32.load (i32.add ${get("x")} ${get("p")}))))`),
      ]),
      ...epilogueScalar("s", `(i32.shl ${get("i")} ${i32(2)})`),
      `(f32.store (i32.add ${get("y")} (i32.shl ${get("i")} ${i32(2)})) ${get("s")})`,
    ]),
  ];
}

/** C = a bᵀ: column j is a · b[j], four rows at a time. */
function ger() {
  return [
    set("mv", `(i32.shl (i32.and ${get("m")} ${i32(-4)}) ${i32(2)})`),
    set("mb", `(i32.shl ${get("m")} ${i32(2)})`),
    set("cp", get("c")),
    forRange("j", i32(0), get("n"), i32(1), [
      set("s", `(f32.load (i32.add ${get("b")} (i32.shl ${get("j")} ${i32(2)})))`),
      set("bv", `(f32x4.splat ${get("s")})`),
      forRange("i", i32(0), get("mv"), i32(16), [
        set("acc0", `(f32x4.add ${ZERO} (f32x4.mul (v128.load (i32.add ${get("a")} ${get("i")})) ${get("bv")}))`),
        ...epilogueVec("acc0", get("i")),
        `(v128.store (i32.add ${get("cp")} ${get("i")}) ${get("acc0")})`,
      ]),
      forRange("i", get("mv"), get("mb"), i32(4), [
        set("t", `(f32.add (f32.const 0) (f32.mul (f32.load (i32.add ${get("a")} ${get("i")})) ${get("s")}))`),
        ...epilogueScalar("t", get("i")),
        `(f32.store (i32.add ${get("cp")} ${get("i")}) ${get("t")})`,
      ]),
      inc("cp", get("mb")),
    ]),
  ];
}

/** WAT functions of this kernel set. */
export function gemvF32Funcs() {
  return [
    func(
      "gemv_f32(ta, m, k, a, x, y, bias, epi): y = op(A) x (byte offsets); op(A) m x k is A (ta = 0, A m x k) or Aᵀ (ta = 1, A k x m); then the GEMM epilogue",
      `$gemv_f32 (export "gemv_f32") (param $ta i32) (param $m i32) (param $k i32) (param $a i32) (param $x i32) (param $y i32) (param $bias i32) (param $epi i32)`,
      [
        `${locals(["i", "p", "ap", "lda", "kv", "kb"])} ${locals(["acc0", "acc1", "acc2", "acc3", "xv"], "v128")} ${locals(["s"], "f32")}`,
        `(if ${get("ta")} (then`,
        lines(gemvDots()),
        ") (else",
        lines(gemvColumns()),
        "))",
      ],
    ),
    func(
      "ger_f32(m, n, a, b, c, bias, epi): C = a bᵀ (byte offsets; C m x n column-major); then the GEMM epilogue",
      `$ger_f32 (export "ger_f32") (param $m i32) (param $n i32) (param $a i32) (param $b i32) (param $c i32) (param $bias i32) (param $epi i32)`,
      [`${locals(["i", "j", "cp", "mv", "mb"])} ${locals(["acc0", "bv"], "v128")} ${locals(["s", "t"], "f32")}`, ...ger()],
    ),
  ];
}
