/**
 * V8 optimises a typed-array access site for the array kinds it has seen; one function used for both
 * Float32Array and Float64Array becomes polymorphic and slower. `perDtype` compiles a separate copy
 * of a self-contained kernel function (it must not reference anything outside its own body) for each
 * key, so every copy sees one kind.
 */
export function perDtype<F extends (...args: never[]) => unknown>(fn: F): (key: string) => F {
  const copies = new Map<string, F>();
  const source = fn.toString();
  return (key) => {
    let copy = copies.get(key);
    if (!copy) {
      copy = new Function(`"use strict"; return (${source});`)() as F;
      copies.set(key, copy);
    }
    return copy;
  };
}
