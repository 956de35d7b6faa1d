// Tiny helpers for writing WAT text from JS: indentation and the structured-loop idioms the kernels use.

/** Indents every line of `text` by `n` spaces (keeps the generated .wat readable). */
export function indent(text, n = 2) {
  const pad = " ".repeat(n);
  return text
    .split("\n")
    .map((line) => (line.length > 0 ? pad + line : line))
    .join("\n");
}

/** Joins WAT fragments (strings or nested arrays of strings) with newlines, dropping empty ones. */
export function lines(...parts) {
  return parts
    .flat(Infinity)
    .filter((p) => p !== "" && p !== null && p !== undefined && p !== false)
    .join("\n");
}

/** `(local.get $name)` */
export const get = (name) => `(local.get $${name})`;

/** `(local.set $name expr)` */
export const set = (name, expr) => `(local.set $${name} ${expr})`;

/** `$name += expr` on an i32 local. */
export const inc = (name, expr) => set(name, `(i32.add ${get(name)} ${expr})`);

/** i32 constant. */
export const i32 = (v) => `(i32.const ${v | 0})`;

/** The all-zero v128 constant. */
export const ZERO = "(v128.const i32x4 0 0 0 0)";

/** i32 sum of any number of expressions. */
export const add = (...xs) => xs.reduce((a, b) => `(i32.add ${a} ${b})`);

/** i32 product. */
export const mul = (a, b) => `(i32.mul ${a} ${b})`;

/** `x * 4`: an element index to a Float32 / Int32 byte offset. */
export const shl2 = (x) => `(i32.shl ${x} ${i32(2)})`;

/** Declares i32 locals (or another type) for each name. */
export const locals = (names, type = "i32") => names.map((n) => `(local $${n} ${type})`).join(" ");

/** `for (v = from; v <u to; v += step) body` as block/loop; `to` and `step` are re-evaluated each pass. */
export function forRange(v, from, to, step, body) {
  return lines(
    set(v, from),
    `(block $${v}_end`,
    `  (loop $${v}_next`,
    `    (br_if $${v}_end (i32.ge_u ${get(v)} ${to}))`,
    indent(lines(body), 4),
    `    ${inc(v, step)}`,
    `    (br $${v}_next)))`,
  );
}

/** `while (cond) body` as block/loop. `label` must be unique within the function. */
export function whileLoop(label, cond, body) {
  return lines(
    `(block $${label}_end`,
    `  (loop $${label}_next`,
    `    (br_if $${label}_end (i32.eqz ${cond}))`,
    indent(lines(body), 4),
    `    (br $${label}_next)))`,
  );
}

/** `$name = min($name, expr)` (unsigned) for an i32 local. */
export const clampMax = (name, expr) => `(if (i32.gt_u ${get(name)} ${expr}) (then ${set(name, expr)}))`;

/** i8x16.shuffle immediates selecting f32 lanes (0-3 from the first operand, 4-7 from the second). */
export function f32Lanes(...lanes) {
  return lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3]).join(" ");
}

/** A function definition: one-line comment, header, body. */
export function func(comment, header, body) {
  return lines(`;; ${comment}`, `(func ${header}`, indent(lines(body)), ")");
}
