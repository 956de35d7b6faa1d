// Sums over the middle dim of a column-major [pre, red, post] Float32 array: y[i, p] = Σ_r x[i, r, p],
// added in r order one Float32 step at a time, four rows at a time (the same sums as the JS kernel).
import { func, get, set, i32, inc, locals, lines, whileLoop } from "./wat.mjs";

/** WAT functions of this kernel set. */
export function reduceF32Funcs() {
  const addr = (base, off) => `(i32.add ${get(base)} ${off})`;
  return [
    func(
      "sum_middle_f32(x, y, pre, red, post): y[:, p] = sum over r of x[:, r, p] (byte offsets; pre rows contiguous)",
      `$sum_middle_f32 (export "sum_middle_f32") (param $x i32) (param $y i32) (param $pre i32) (param $red i32) (param $post i32)`,
      [
        locals(["p", "r", "i", "xb", "yb", "xr", "rowBytes", "vecBytes"]),
        set("rowBytes", `(i32.shl ${get("pre")} ${i32(2)})`),
        set("vecBytes", `(i32.shl (i32.and ${get("pre")} ${i32(-4)}) ${i32(2)})`),
        set("p", i32(0)),
        set("xb", get("x")),
        set("yb", get("y")),
        whileLoop("post", `(i32.lt_u ${get("p")} ${get("post")})`, [
          `(memory.fill ${get("yb")} ${i32(0)} ${get("rowBytes")})`,
          set("r", i32(0)),
          set("xr", get("xb")),
          whileLoop("red", `(i32.lt_u ${get("r")} ${get("red")})`, [
            set("i", i32(0)),
            whileLoop("vec", `(i32.lt_u ${get("i")} ${get("vecBytes")})`, [
              `(v128.store ${addr("yb", get("i"))} (f32x4.add (v128.load ${addr("yb", get("i"))}) (v128.load ${addr("xr", get("i"))})))`,
              inc("i", i32(16)),
            ]),
            whileLoop("tail", `(i32.lt_u ${get("i")} ${get("rowBytes")})`, [
              `(f32.store ${addr("yb", get("i"))} (f32.add (f32.load ${addr("yb", get("i"))}) (f32.load ${addr("xr", get("i"))})))`,
              inc("i", i32(4)),
            ]),
            inc("xr", get("rowBytes")),
            inc("r", i32(1)),
          ]),
          set("xb", get("xr")),
          inc("yb", get("rowBytes")),
          inc("p", i32(1)),
        ]),
      ].map((x) => (Array.isArray(x) ? lines(x) : x)),
    ),
  ];
}
