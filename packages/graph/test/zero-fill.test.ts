// zeroFill (kernels/zero-fill.ts): memory.fill over a heap range, TypedArray.fill elsewhere. Checked
// element by element: the range reads +0, everything around it keeps its value.
import { allocLongLived, heapOffset } from "../src/memory";
import { zeroFill } from "../src/kernels/zero-fill";
import type { TypedArray } from "../src/dtype";

const RANGES: Array<[number, number]> = [[0, 0], [0, 1], [3, 4], [1, 8], [5, 37], [0, 64], [9, 3]];

function check(data: TypedArray, label: string): void {
  for (const [from, to] of RANGES) {
    for (let i = 0; i < data.length; i++) data[i] = i % 2 === 0 ? -(i + 1) : i + 1;
    zeroFill(data, from, to);
    for (let i = 0; i < data.length; i++) {
      const want = i >= from && i < to ? 0 : i % 2 === 0 ? -(i + 1) : i + 1;
      if (!Object.is(data[i], want)) throw new Error(`${label} [${from}, ${to}): element ${i} is ${data[i]}, want ${want}`);
    }
  }
}

describe("zeroFill", () => {
  test.each(["f32", "f64", "i32"] as const)("%s arrays in the Wasm heap", (dtype) => {
    const data = allocLongLived(dtype, 64);
    expect(heapOffset(data, 0)).toBeGreaterThanOrEqual(0);
    check(data, `heap ${dtype}`);
    // a view starting inside the heap block: offsets count from the view
    check(data.subarray(3, 60), `heap ${dtype} view`);
    // a range past a view's end stops at the view's end, as TypedArray.fill does
    for (let i = 0; i < 64; i++) data[i] = 7;
    zeroFill(data.subarray(3, 60), 50, 64);
    expect([...data.subarray(52, 64)]).toEqual([7, 0, 0, 0, 0, 0, 0, 0, 7, 7, 7, 7]);
  });

  test("arrays outside the heap", () => {
    check(new Float32Array(64), "Float32Array");
    check(new Float64Array(64), "Float64Array");
  });
});
