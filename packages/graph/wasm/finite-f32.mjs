// Whether every element of a Float32 array is finite: x - x is 0 for a finite x and NaN for ±Inf and
// NaN, so the kernel ORs the lanes where x - x is NaN, four elements a step, then checks the tail.
import { func, get, set, i32, inc, locals, lines, whileLoop } from "./wat.mjs";

/** WAT functions of this kernel set. */
export function finiteF32Funcs() {
  return [
    func(
      "all_finite_f32(x, n): 1 when the n floats at byte offset x are all finite, else 0",
      `$all_finite_f32 (export "all_finite_f32") (param $x i32) (param $n i32) (result i32)`,
      [
        locals(["p", "end", "vend"]),
        locals(["acc", "v"], "v128"),
        locals(["s"], "f32"),
        set("p", get("x")),
        set("end", `(i32.add ${get("x")} (i32.shl ${get("n")} ${i32(2)}))`),
        set("vend", `(i32.add ${get("x")} (i32.shl (i32.and ${get("n")} ${i32(-4)}) ${i32(2)}))`),
        set("acc", "(v128.const i32x4 0 0 0 0)"),
        whileLoop("vec", `(i32.lt_u ${get("p")} ${get("vend")})`, [
          set("v", `(v128.load ${get("p")})`),
          set("v", `(f32x4.sub ${get("v")} ${get("v")})`),
          set("acc", `(v128.or ${get("acc")} (f32x4.ne ${get("v")} ${get("v")}))`),
          inc("p", i32(16)),
        ]),
        whileLoop("tail", `(i32.lt_u ${get("p")} ${get("end")})`, [
          set("s", `(f32.load ${get("p")})`),
          set("s", `(f32.sub ${get("s")} ${get("s")})`),
          `(if (f32.ne ${get("s")} ${get("s")}) (then (return ${i32(0)})))`,
          inc("p", i32(4)),
        ]),
        `(i32.eqz (v128.any_true ${get("acc")}))`,
      ].map((x) => (Array.isArray(x) ? lines(x) : x)),
    ),
  ];
}
