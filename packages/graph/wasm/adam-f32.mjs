// Fused Adam step for Float32 parameters, Optimisers.jl's formula in Float32 arithmetic:
//   m ← β₁m + (1−β₁)g ;  v ← β₂v + (1−β₂)g² ;  x ← x − m/(1−β₁ᵗ) / (√(v/(1−β₂ᵗ)) + ϵ) · η
// evaluated as x ← x − (η/(1−β₁ᵗ))·m / (√v·(1/√(1−β₂ᵗ)) + ϵ), the same quantity with one division
// and one square root an element (as PyTorch's Adam does), the scalar factors computed once per call.
// One pass reads x, g, m, v and writes x, m, v (28 bytes an element), four lanes at a time.
//
// Subnormals: WebAssembly has no flush-to-zero mode, and on x86 an operation that makes or reads a
// subnormal Float32 costs about a hundred times a normal one. Late in training, tiny gradients make g²
// subnormal on every step, and a unit whose gradient stays zero lets v decay into the subnormal range.
// So a square below FLT_MIN/(1−β₂) counts as exactly that (|g| is raised to gmin = √(FLT_MIN/(1−β₂))):
// v then never falls below FLT_MIN (1.18e-38), which it gains at most per step, while √v stays some
// thirty orders of magnitude under ϵ. NaN and ±Inf pass through.
import { func, get, set, i32, inc, locals, lines, whileLoop } from "./wat.mjs";

const F = ["eta", "b1", "b2", "eps", "a1", "a2", "c1", "c2"];
/** Per-call factors: s1 = η/(1−β₁ᵗ), r2 = 1/√(1−β₂ᵗ) and gmin = √(FLT_MIN/(1−β₂)) (0 when β₂ = 1). */
const DERIVED = ["s1", "r2", "gmin"];
/** The smallest normal Float32, 2⁻¹²⁶. */
const FLT_MIN = "0x1p-126";

/** The element step on one vector (`f32x4`) or one scalar (`f32`), reading and writing at byte offset `off`. */
function step(t, off) {
  const load = t === "f32x4" ? "v128.load" : "f32.load";
  const store = t === "f32x4" ? "v128.store" : "f32.store";
  const k = (name) => (t === "f32x4" ? get(`v${name}`) : get(name));
  const at = (base) => `(i32.add ${get(base)} ${off})`;
  const [g, gs, m, v] = t === "f32x4" ? ["vg", "vgs", "vm", "vv"] : ["sg", "sgs", "sm", "sv"];
  return lines(
    set(g, `(${load} ${at("g")})`),
    // pmax(|g|, gmin) = |g| < gmin ? gmin : |g| (one instruction; NaN is kept)
    set(gs, `(${t === "f32x4" ? "f32x4.pmax" : "f32.max"} (${t}.abs ${get(g)}) ${k("gmin")})`),
    set(m, `(${t}.add (${t}.mul ${k("b1")} (${load} ${at("m")})) (${t}.mul ${k("a1")} ${get(g)}))`),
    set(v, `(${t}.add (${t}.mul ${k("b2")} (${load} ${at("v")})) (${t}.mul (${t}.mul ${k("a2")} ${get(gs)}) ${get(gs)}))`),
    `(${store} ${at("m")} ${get(m)})`,
    `(${store} ${at("v")} ${get(v)})`,
    `(${store} ${at("x")} (${t}.sub (${load} ${at("x")}) (${t}.div (${t}.mul ${k("s1")} ${get(m)}) ` +
      `(${t}.add (${t}.mul (${t}.sqrt ${get(v)}) ${k("r2")}) ${k("eps")}))))`,
  );
}

/** WAT functions of this kernel set. */
export function adamF32Funcs() {
  return [
    func(
      "adam_f32(x, g, m, v, n, k): one Adam step over n Float32 elements; k points at the Float32 coefficients eta, b1, b2, eps, 1-b1, 1-b2, 1-b1^t, 1-b2^t",
      `$adam_f32 (export "adam_f32") (param $x i32) (param $g i32) (param $m i32) (param $v i32) (param $n i32) (param $k i32)`,
      [
        `${locals(["off", "end"])} ${locals(["vg", "vgs", "vm", "vv", ...[...F, ...DERIVED].map((f) => `v${f}`)], "v128")} ${locals(["sg", "sgs", "sm", "sv", ...F, ...DERIVED], "f32")}`,
        ...F.map((f, i) => set(f, `(f32.load offset=${4 * i} ${get("k")})`)),
        set("s1", `(f32.div ${get("eta")} ${get("c1")})`),
        set("r2", `(f32.div (f32.const 1) (f32.sqrt ${get("c2")}))`),
        set("gmin", `(select (f32.sqrt (f32.div (f32.const ${FLT_MIN}) ${get("a2")})) (f32.const 0) (f32.gt ${get("a2")} (f32.const 0)))`),
        ...[...F, ...DERIVED].map((f) => set(`v${f}`, `(f32x4.splat ${get(f)})`)),
        set("off", i32(0)),
        set("end", `(i32.shl (i32.and ${get("n")} ${i32(-4)}) ${i32(2)})`),
        whileLoop("vec", `(i32.lt_u ${get("off")} ${get("end")})`, [step("f32x4", get("off")), inc("off", i32(16))]),
        set("end", `(i32.shl ${get("n")} ${i32(2)})`),
        whileLoop("tail", `(i32.lt_u ${get("off")} ${get("end")})`, [step("f32", get("off")), inc("off", i32(4))]),
      ],
    ),
  ];
}
