/** Paths into trees, as error messages name them: `.layers[1].bias`. */

/** A path from keys: `.name` for identifier keys, `[i]` for indices, `["odd key"]` otherwise; `(root)` for none. */
export function formatPath(keys: readonly (string | number)[], depth = keys.length): string {
  let s = "";
  for (let i = 0; i < depth; i++) {
    const k = keys[i]!;
    if (typeof k === "number") s += `[${k}]`;
    else s += /^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`;
  }
  return s === "" ? "(root)" : s;
}

/** A short description of a value for error messages: `Float32 array [3, 2]`, `object Dense`, `number 3`. */
export function describe(x: unknown): string {
  if (x === null) return "null";
  if (x === undefined) return "nothing (missing)";
  if (typeof x === "object") {
    const a = x as { data?: unknown; shape?: unknown };
    if (ArrayBuffer.isView(a.data) && Array.isArray(a.shape)) {
      return `${a.data.constructor.name.replace("Array", "")} array [${a.shape.join(", ")}]`;
    }
    if (Array.isArray(x)) return `an array of length ${x.length}`;
    return `object ${Object.getPrototypeOf(x)?.constructor?.name ?? "(null prototype)"}`;
  }
  if (typeof x === "function") return `function ${x.name || "(anonymous)"}`;
  return `${typeof x} ${String(x)}`;
}
