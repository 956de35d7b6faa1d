// WAT generator for the f32 GEMM: column-major C (+)= op(A) op(B), GotoBLAS/BLIS blocking.
//
//   for i0 (MC rows of C):   for p0 (KC of k):   pack op(A)[i0.., p0..] into MR-row panels (k-major)
//     for j0 (NC columns):   pack op(B)[p0.., j0..] into NR-column panels (k-major)
//       for ir (A panel, MR*KC floats, stays in L1):   for jr (B panel, streamed from L2):
//         micro-kernel: MR x NR tile of C held in MR/4 * NR f32x4 accumulators for the whole KC block
//
// The default tile is MR = 8 rows (2 f32x4 vectors down a column of C, loaded from the A panel) x NR = 4
// columns (broadcast from the B panel with v128.load32_splat), k NOT unrolled: TurboFan then keeps all
// 8 accumulators, 2 A vectors, the broadcast and the product temporary in xmm registers (no spills;
// checked with --print-wasm-code). It measured 1.2-1.6x faster than a 12x4 tile with k unrolled x2,
// whose merged schedule spills ~10 vectors per step.
// Transposes exist only in the packers:
// op(X)[row, kk] = X[row * rs + kk * ks] for an element stride pair (rs, ks), with vector fast paths for
// rs == 1 (plain copy) and ks == 1 (4x4 shuffle transposes), so all four (transA, transB) cases feed the
// same kernel. Packed panels are zero-padded to MR/NR rows and to a multiple of the k unroll KU.
import { clampMax, f32Lanes, forRange, func, get, i32, inc, indent, lines, locals, set, whileLoop } from "./wat.mjs";
import { epilogueFuncs, epilogueScalar, epilogueVector } from "./gemm-epilogue-f32.mjs";
import { kcpOf, packBytes, scratchBytes } from "./gemm-scratch-f32.mjs";

/**
 * Default tile (MR = 4 * MRV rows, NR columns, k unroll KU in {1, 2}) and blocking (MC % MR == 0, NC % NR == 0).
 * `relaxed: true` accumulates with f32x4.relaxed_madd (fused where the hardware has FMA) instead of mul + add.
 */
export const GEMM_F32_PARAMS = { MRV: 2, NR: 4, KU: 1, KC: 256, MC: 512, NC: 128 };

/** WAT functions of the GEMM (kernel, packers, edge store, driver, scratch-size query). */
export function gemmF32Funcs(params = GEMM_F32_PARAMS) {
  const { MRV, NR, KC, MC, NC, KU, relaxed = false } = params;
  const MR = 4 * MRV;
  if (MC % MR !== 0 || NC % NR !== 0 || KC % KU !== 0 || (KU !== 1 && KU !== 2)) throw new Error("gemm-f32: bad parameters");
  return [
    microKernel(MRV, NR, KU, relaxed),
    packer(MR, KU),
    packer(NR, KU),
    edgeStore(MR),
    packBytes("a", MC, MR, KC, KU),
    packBytes("b", NC, NR, KC, KU),
    scratchBytes(MR, NR),
    driver(MR, NR, KC, MC, NC, KU),
    rangeEntry(),
    entry(),
    ...epilogueFuncs(),
  ];
}

/** The micro-kernel: C tile (+)= A panel * B panel over kcp k-steps (a multiple of KU), k unrolled by KU. */
function microKernel(MRV, NR, KU, relaxed) {
  const MR = 4 * MRV;
  const acc = (j, v) => `c${j}_${v}`;
  const accNames = [];
  for (let j = 0; j < NR; j++) for (let v = 0; v < MRV; v++) accNames.push(acc(j, v));
  const aNames = Array.from({ length: MRV }, (_, v) => `a${v}`);
  const step = [];
  for (let u = 0; u < KU; u++) {
    for (let v = 0; v < MRV; v++) step.push(set(`a${v}`, `(v128.load offset=${(u * MR + 4 * v) * 4} ${get("ap")})`));
    for (let j = 0; j < NR; j++) {
      step.push(set("b", `(v128.load32_splat offset=${(u * NR + j) * 4} ${get("bp")})`));
      for (let v = 0; v < MRV; v++) {
        const madd = relaxed
          ? `(f32x4.relaxed_madd ${get(`a${v}`)} ${get("b")} ${get(acc(j, v))})`
          : `(f32x4.add ${get(acc(j, v))} (f32x4.mul ${get(`a${v}`)} ${get("b")}))`;
        step.push(set(acc(j, v), madd));
      }
    }
  }
  const addC = [];
  const store = [];
  for (let j = 0; j < NR; j++) {
    const col = j === 0 ? get("cp") : `(i32.add ${get("cp")} ${j === 1 ? get("ldc") : `(i32.mul ${get("ldc")} ${i32(j)})`})`;
    addC.push(set("cj", col));
    store.push(set("cj", col));
    for (let v = 0; v < MRV; v++) {
      addC.push(set(acc(j, v), `(f32x4.add ${get(acc(j, v))} (v128.load offset=${16 * v} ${get("cj")}))`));
      store.push(`(v128.store offset=${16 * v} ${get("cj")} ${get(acc(j, v))})`);
    }
  }
  return func(
    `C[${MR}x${NR}] at cp (column stride ldc bytes) = act(A panel * B panel (+ C when beta) (+ bias rows)); kcp > 0, a multiple of ${KU}`,
    `$kernel (param $kcp i32) (param $ap i32) (param $bp i32) (param $cp i32) (param $ldc i32) (param $beta i32) (param $bias i32) (param $epi i32)`,
    [
      `${locals(["aend", "cj"])} ${locals([...aNames, "b", ...accNames], "v128")}`,
      set("aend", `(i32.add ${get("ap")} (i32.mul ${get("kcp")} ${i32(MR * 4)}))`),
      "(loop $k",
      indent(lines(step, inc("ap", i32(KU * MR * 4)), inc("bp", i32(KU * NR * 4)))),
      `  (br_if $k (i32.ne ${get("ap")} ${get("aend")})))`,
      `(if ${get("beta")} (then`,
      indent(lines(addC)),
      "))",
      epilogueVector(MRV, NR, acc, (v) => `a${v}`),
      store,
    ],
  );
}

/** Packer into W-wide panels: dst[panel][kk][r] = src[(p + r) * rs + kk * ks] (elements), zero-padded. */
function packer(W, KU) {
  const V = Math.floor(W / 4); // whole vectors per k-step; the fast paths need W % 4 == 0
  const rows = Array.from({ length: W }, (_, r) => `r${r}`);
  // Contiguous rows (rs == 1): each k-step copies W floats.
  const contiguous = forRange("kk", i32(0), get("kc"), i32(1), [
    ...Array.from({ length: V }, (_, v) => `(v128.store offset=${16 * v} ${get("dst")} (v128.load offset=${16 * v} ${get("s")}))`),
    inc("s", get("ksb")),
    inc("dst", i32(W * 4)),
  ]);
  // Contiguous along k (ks == 1): 4 rows x 4 k-steps are loaded as 4 vectors and transposed.
  const transpose4 = [];
  for (let g = 0; g < V; g++) {
    for (let t = 0; t < 4; t++) transpose4.push(set(`x${t}`, `(v128.load ${get(rows[4 * g + t])})`));
    transpose4.push(
      set("y0", `(i8x16.shuffle ${f32Lanes(0, 4, 1, 5)} ${get("x0")} ${get("x1")})`),
      set("y1", `(i8x16.shuffle ${f32Lanes(0, 4, 1, 5)} ${get("x2")} ${get("x3")})`),
      set("y2", `(i8x16.shuffle ${f32Lanes(2, 6, 3, 7)} ${get("x0")} ${get("x1")})`),
      set("y3", `(i8x16.shuffle ${f32Lanes(2, 6, 3, 7)} ${get("x2")} ${get("x3")})`),
    );
    const outs = [["y0", "y1", [0, 1, 4, 5]], ["y0", "y1", [2, 3, 6, 7]], ["y2", "y3", [0, 1, 4, 5]], ["y2", "y3", [2, 3, 6, 7]]];
    outs.forEach(([p, q, l], kk) => {
      transpose4.push(`(v128.store offset=${(kk * W + 4 * g) * 4} ${get("dst")} (i8x16.shuffle ${f32Lanes(...l)} ${get(p)} ${get(q)}))`);
    });
  }
  const transposed = lines(
    rows.map((r, i) => set(r, i === 0 ? get("s") : `(i32.add ${get(rows[i - 1])} ${get("rsb")})`)),
    set("kk", i32(0)),
    whileLoop("kk4", `(i32.le_u (i32.add ${get("kk")} ${i32(4)}) ${get("kc")})`, [
      transpose4,
      rows.map((r) => inc(r, i32(16))),
      inc("dst", i32(4 * W * 4)),
      inc("kk", i32(4)),
    ]),
    whileLoop("kk1", `(i32.lt_u ${get("kk")} ${get("kc")})`, [
      rows.map((r, i) => `(f32.store offset=${4 * i} ${get("dst")} (f32.load ${get(r)}))`),
      rows.map((r) => inc(r, i32(4))),
      inc("dst", i32(W * 4)),
      inc("kk", i32(1)),
    ]),
  );
  // Anything else (edge panels, general strides): zero the k-step, then gather the w valid rows.
  const zeroStep = [
    ...Array.from({ length: V }, (_, v) => `(v128.store offset=${16 * v} ${get("dst")} (v128.const i32x4 0 0 0 0))`),
    ...Array.from({ length: W - 4 * V }, (_, r) => `(f32.store offset=${16 * V + 4 * r} ${get("dst")} (f32.const 0))`),
  ];
  const fast = W % 4 === 0;
  const gather = forRange("kk", i32(0), get("kc"), i32(1), [
    zeroStep,
    set("sp", get("s")),
    forRange("r", i32(0), get("w"), i32(1), [
      `(f32.store (i32.add ${get("dst")} (i32.shl ${get("r")} ${i32(2)})) (f32.load ${get("sp")}))`,
      inc("sp", get("rsb")),
    ]),
    inc("s", get("ksb")),
    inc("dst", i32(W * 4)),
  ]);
  // Full panels take a vector path when rows (rs == 1) or k (ks == 1) are contiguous in memory.
  const dispatch = lines(
    `(if (i32.and (i32.eq ${get("w")} ${i32(W)}) (i32.eq ${get("rs")} ${i32(1)}))`,
    `  (then ;; rows contiguous in memory: vector copy`,
    indent(contiguous, 4),
    `  ) (else (if (i32.and (i32.eq ${get("w")} ${i32(W)}) (i32.eq ${get("ks")} ${i32(1)}))`,
    `    (then ;; k contiguous in memory: 4x4 transposes`,
    indent(transposed, 6),
    `    ) (else ;; edge panel or general strides: scalar gather`,
    indent(gather, 6),
    "))))",
  );
  return func(
    `pack \`width\` rows x kc of a strided operand into ${W}-wide k-major panels (zero-padded to ${W} rows${KU === 2 ? " and even k" : ""})`,
    `$pack_w${W} (param $src i32) (param $rs i32) (param $ks i32) (param $width i32) (param $kc i32) (param $dst i32)`,
    [
      `${locals(["p", "w", "s", "sp", "kk", "r", "rsb", "ksb", ...rows])} ${locals(["x0", "x1", "x2", "x3", "y0", "y1", "y2", "y3"], "v128")}`,
      set("rsb", `(i32.shl ${get("rs")} ${i32(2)})`),
      set("ksb", `(i32.shl ${get("ks")} ${i32(2)})`),
      forRange("p", i32(0), get("width"), i32(W), [
        set("w", `(i32.sub ${get("width")} ${get("p")})`),
        clampMax("w", i32(W)),
        set("s", `(i32.add ${get("src")} (i32.mul ${get("p")} ${get("rsb")}))`),
        fast ? dispatch : gather,
        KU === 2 && `(if (i32.and ${get("kc")} ${i32(1)}) (then ;; pad to an even number of k-steps`,
        KU === 2 && indent(lines(zeroStep, inc("dst", i32(W * 4)))),
        KU === 2 && "))",
      ]),
    ],
  );
}

/** Partial tiles: C[0..mr, 0..nr] = tile (+ C when beta); the tile is MR-strided. */
function edgeStore(MR) {
  return func(
    "copy the valid mr x nr corner of a kernel scratch tile into C (adding C when beta, then the epilogue)",
    "$edge_store (param $tile i32) (param $cp i32) (param $ldc i32) (param $mr i32) (param $nr i32) (param $beta i32) (param $bias i32) (param $epi i32)",
    [
      locals(["i", "j", "t", "c", "addr"]),
      forRange("j", i32(0), get("nr"), i32(1), [
        set("t", `(i32.add ${get("tile")} (i32.mul ${get("j")} ${i32(MR * 4)}))`),
        set("c", `(i32.add ${get("cp")} (i32.mul ${get("j")} ${get("ldc")}))`),
        forRange("i", i32(0), get("mr"), i32(1), [
          set("addr", `(i32.add ${get("c")} (i32.shl ${get("i")} ${i32(2)}))`),
          `(f32.store ${get("addr")} ${epilogueScalar(
            `(f32.add (f32.load (i32.add ${get("t")} (i32.shl ${get("i")} ${i32(2)}))) (select (f32.load ${get("addr")}) (f32.const 0) ${get("beta")}))`,
            `(i32.add ${get("bias")} (i32.shl ${get("i")} ${i32(2)}))`,
          )})`,
        ]),
      ]),
    ],
  );
}

/** The blocked driver over the sub-range rows [m0, m1) x columns [n0, n1) of C. */
function driver(MR, NR, KC, MC, NC, KU) {
  const tiles = forRange("ir", i32(0), get("mc"), i32(MR), [
    set("mr", `(i32.sub ${get("mc")} ${get("ir")})`),
    clampMax("mr", i32(MR)),
    set("ap", `(i32.add ${get("pa")} (i32.shl (i32.mul ${get("ir")} ${get("kcp")}) ${i32(2)}))`),
    set("brow", `(i32.add ${get("bias")} (i32.shl (i32.add ${get("i0")} ${get("ir")}) ${i32(2)}))`),
    forRange("jr", i32(0), get("nc"), i32(NR), [
      set("nr", `(i32.sub ${get("nc")} ${get("jr")})`),
      clampMax("nr", i32(NR)),
      set("bp", `(i32.add ${get("pb")} (i32.shl (i32.mul ${get("jr")} ${get("kcp")}) ${i32(2)}))`),
      set("cp", `(i32.add ${get("c")} (i32.shl (i32.add (i32.add ${get("i0")} ${get("ir")}) (i32.mul (i32.add ${get("j0")} ${get("jr")}) ${get("m")})) ${i32(2)}))`),
      `(if (i32.and (i32.eq ${get("mr")} ${i32(MR)}) (i32.eq ${get("nr")} ${i32(NR)}))`,
      `  (then (call $kernel ${get("kcp")} ${get("ap")} ${get("bp")} ${get("cp")} ${get("ldc")} ${get("beta")} ${get("brow")} ${get("epik")}))`,
      `  (else`,
      `    (call $kernel ${get("kcp")} ${get("ap")} ${get("bp")} ${get("tile")} ${i32(MR * 4)} ${i32(0)} ${i32(0)} ${i32(0)})`,
      `    (call $edge_store ${get("tile")} ${get("cp")} ${get("ldc")} ${get("mr")} ${get("nr")} ${get("beta")} ${get("brow")} ${get("epik")})))`,
    ]),
  ]);
  const blocks = forRange("i0", get("m0"), get("m1"), i32(MC), [
    set("mc", `(i32.sub ${get("m1")} ${get("i0")})`),
    clampMax("mc", i32(MC)),
    forRange("p0", i32(0), get("k"), i32(KC), [
      set("kc", `(i32.sub ${get("k")} ${get("p0")})`),
      clampMax("kc", i32(KC)),
      set("kcp", kcpOf("kc", KU)),
      set("beta", `(i32.or (i32.ne ${get("acc")} ${i32(0)}) (i32.ne ${get("p0")} ${i32(0)}))`),
      set("epik", `(select ${get("epi")} ${i32(0)} (i32.eq (i32.add ${get("p0")} ${get("kc")}) ${get("k")}))`), // epilogue on the last K block
      `(call $pack_w${MR} (i32.add ${get("a")} (i32.shl (i32.add (i32.mul ${get("i0")} ${get("rsA")}) (i32.mul ${get("p0")} ${get("ksA")})) ${i32(2)}))`,
      `  ${get("rsA")} ${get("ksA")} ${get("mc")} ${get("kc")} ${get("pa")})`,
      forRange("j0", get("n0"), get("n1"), i32(NC), [
        set("nc", `(i32.sub ${get("n1")} ${get("j0")})`),
        clampMax("nc", i32(NC)),
        `(call $pack_w${NR} (i32.add ${get("b")} (i32.shl (i32.add (i32.mul ${get("j0")} ${get("rsB")}) (i32.mul ${get("p0")} ${get("ksB")})) ${i32(2)}))`,
        `  ${get("rsB")} ${get("ksB")} ${get("nc")} ${get("kc")} ${get("pb")})`,
        tiles,
      ]),
    ]),
  ]);
  return func(
    "C[m0:m1, n0:n1] = act(op(A) op(B) (+ C) (+ bias)), column-major, with the caller's pack scratch (gemm_f32_scratch_bytes(m, n, k)); epi: bit 0 bias, bit 1 relu",
    [
      `$gemm_f32_epi_range (export "gemm_f32_epi_range")`,
      "(param $ta i32) (param $tb i32) (param $m i32) (param $n i32) (param $k i32) (param $a i32) (param $b i32)",
      "(param $c i32) (param $acc i32) (param $pack i32) (param $m0 i32) (param $m1 i32) (param $n0 i32) (param $n1 i32)",
      "(param $bias i32) (param $epi i32)",
    ].join(" "),
    [
      locals(["rsA", "ksA", "rsB", "ksB", "ldc", "pa", "pb", "tile", "i0", "mc", "p0", "kc", "kcp", "beta", "epik", "brow"]),
      locals(["j0", "nc", "ir", "mr", "jr", "nr", "ap", "bp", "cp", "j"]),
      clampMax("m1", get("m")),
      clampMax("n1", get("n")),
      `(if (i32.or (i32.ge_u ${get("m0")} ${get("m1")}) (i32.ge_u ${get("n0")} ${get("n1")})) (then (return)))`,
      set("ldc", `(i32.shl ${get("m")} ${i32(2)})`),
      `(if (i32.eqz ${get("k")}) (then ;; empty product: C = 0, or unchanged when accumulating`,
      `  (if (i32.eqz ${get("acc")}) (then`,
      indent(
        forRange("j", get("n0"), get("n1"), i32(1), [
          `(memory.fill (i32.add ${get("c")} (i32.shl (i32.add ${get("m0")} (i32.mul ${get("j")} ${get("m")})) ${i32(2)}))`,
          `  ${i32(0)} (i32.shl (i32.sub ${get("m1")} ${get("m0")}) ${i32(2)}))`,
        ]),
        4,
      ),
      "  ))",
      `  (if ${get("epi")} (then (call $epilogue_range ${["c", "ldc", "m0", "m1", "n0", "n1", "bias", "epi"].map(get).join(" ")})))`,
      "  (return)))",
      ";; element strides: op(A)[i, kk] = A[i*rsA + kk*ksA], op(B)[kk, j] = B[j*rsB + kk*ksB]",
      `(if ${get("ta")} (then ${set("rsA", get("k"))} ${set("ksA", i32(1))}) (else ${set("rsA", i32(1))} ${set("ksA", get("m"))}))`,
      `(if ${get("tb")} (then ${set("rsB", i32(1))} ${set("ksB", get("n"))}) (else ${set("rsB", get("k"))} ${set("ksB", i32(1))}))`,
      set("pa", get("pack")),
      set("pb", `(i32.add ${get("pa")} (call $pack_a_bytes ${get("m")} ${get("k")}))`),
      set("tile", `(i32.add ${get("pb")} (call $pack_b_bytes ${get("n")} ${get("k")}))`),
      blocks,
    ],
  );
}

/** The range entry without an epilogue (what the second thread and the plain GEMM call). */
function rangeEntry() {
  const params = ["ta", "tb", "m", "n", "k", "a", "b", "c", "acc", "pack", "m0", "m1", "n0", "n1"];
  return func(
    "C[m0:m1, n0:n1] (+)= op(A) op(B) (gemm_f32_epi_range without an epilogue)",
    `$gemm_f32_range (export "gemm_f32_range") ${params.map((p) => `(param $${p} i32)`).join(" ")}`,
    [`(call $gemm_f32_epi_range ${params.map(get).join(" ")} ${i32(0)} ${i32(0)})`],
  );
}

/** Whole-matrix entry point. */
function entry() {
  return func(
    "C (+)= op(A) op(B) for the whole m x n C (see gemm_f32_range)",
    `$gemm_f32 (export "gemm_f32") (param $ta i32) (param $tb i32) (param $m i32) (param $n i32) (param $k i32) (param $a i32) (param $b i32) (param $c i32) (param $acc i32) (param $pack i32)`,
    [
      `(call $gemm_f32_range ${["ta", "tb", "m", "n", "k", "a", "b", "c", "acc", "pack"].map(get).join(" ")}`,
      `  ${i32(0)} ${get("m")} ${i32(0)} ${get("n")})`,
    ],
  );
}
