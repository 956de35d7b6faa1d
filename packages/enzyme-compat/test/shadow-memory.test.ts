/** Duplicated(x, dx) refuses a shadow that shares memory with the value, for arrays and for every leaf of a model; nothing changes. */
import ndarray from "ndarray";
import { leaves, toFlatArray, type NdArray } from "@tsflux/graph";
import { Chain, Dense, randn32 } from "@tsflux/layers";
import { ArgumentError, Duplicated, DuplicatedNoNeed, makeZero } from "@tsflux/enzyme-compat";

/** A Float64 array viewing `length` elements of `data` from element `start`, as an ndarray of shape [length]. */
const view = (data: Float64Array, start: number, length: number) => ndarray(data, [length], [1], start) as unknown as NdArray;

/** Every number of every array reachable from `trees`. */
const contents = (...trees: unknown[]) => trees.map((t) => leaves(t).map((l) => toFlatArray(l.value)));

/** Duplicated(val, dval) throws an ArgumentError with `message`; val and dval hold exactly what they held before. */
function expectRefused(val: unknown, dval: unknown, message: string): void {
  const before = contents(val, dval);
  for (const make of [Duplicated, DuplicatedNoNeed]) {
    let thrown: unknown;
    try {
      make(val, dval);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(ArgumentError);
    expect((thrown as Error).message).toBe(message.replace("NAME", make.name));
  }
  expect(contents(val, dval)).toEqual(before);
}

const own = "the shadow needs memory of its own (build it with makeZero(x))";

describe("arrays", () => {
  const data = Float64Array.from({ length: 12 }, (_, i) => i + 1);

  test.each([
    ["the same array", view(data, 0, 6), (x: NdArray) => x],
    ["another view of the same elements", view(data, 0, 6), () => view(data, 0, 6)],
    ["a view overlapping the end", view(data, 0, 6), () => view(data, 5, 6)],
    ["a view overlapping the start", view(data, 5, 6), () => view(data, 0, 6)],
    ["a reversed view (elements 7 down to 2)", view(data, 0, 6), () => ndarray(data, [6], [-1], 7) as unknown as NdArray],
    ["a view of another type over the same bytes", view(data, 0, 6), () => ndarray(new Float32Array(data.buffer, 40, 6), [6]) as unknown as NdArray],
  ])("%s is refused", (_what, x, dx) => {
    expectRefused(x, dx(x), `NAME(x, dx): dx shares memory with x; ${own}`);
  });

  test("views that touch without overlapping are accepted, and so is a fresh shadow", () => {
    const x = view(data, 0, 6);
    expect(Duplicated(x, view(data, 6, 6)).dval).toEqual(view(data, 6, 6));
    expect(Duplicated(randn32(3, 2)).dval.shape).toEqual([3, 2]);
  });
});

describe("models: every leaf of the shadow against every leaf of the value", () => {
  const model = () => Chain(Dense(3, 3), Dense(3, 3));

  test("a shadow leaf viewing the memory of the same leaf", () => {
    const m = model(), dm = makeZero(m);
    const b = m.layers[1].bias as NdArray;
    dm.layers[1].bias = ndarray(b.data, [3], [1], b.offset) as unknown as NdArray;
    expectRefused(m, dm, `NAME(x, dx): dx.layers[1].bias shares memory with x.layers[1].bias; ${own}`);
  });

  test("a shadow leaf viewing the memory of another leaf", () => {
    const m = model(), dm = makeZero(m);
    const w = m.layers[0].weight;
    dm.layers[1].weight = ndarray(w.data, w.shape, w.stride, w.offset) as unknown as NdArray;
    expectRefused(m, dm, `NAME(x, dx): dx.layers[1].weight shares memory with x.layers[0].weight; ${own}`);
  });

  test("a shadow leaf overlapping part of a parameter in the same buffer", () => {
    const storage = new Float32Array(30);
    const m = Chain(Dense(ndarray(storage, [3, 3], [1, 3], 0) as unknown as NdArray), Dense(ndarray(storage, [3, 3], [1, 3], 9) as unknown as NdArray));
    const dm = makeZero(m);
    dm.layers[0].weight = ndarray(storage, [3, 3], [1, 3], 17) as unknown as NdArray; // elements 17..25: the end of layers[1].weight (9..17)
    expectRefused(m, dm, `NAME(x, dx): dx.layers[0].weight shares memory with x.layers[1].weight; ${own}`);
    dm.layers[0].weight = ndarray(storage, [3, 3], [1, 3], 18) as unknown as NdArray; // 18..26: after it, accepted
    expect(Duplicated(m, dm).dval).toBe(dm);
  });

  test("the shadow makeZero builds is accepted, for models whose arrays share one storage too", () => {
    const m = model();
    expect(leaves(Duplicated(m).dval).length).toBe(4);
    const storage = new Float32Array(18);
    const packed = Chain(Dense(ndarray(storage, [3, 3], [1, 3], 0) as unknown as NdArray, false), Dense(ndarray(storage, [3, 3], [1, 3], 9) as unknown as NdArray, false));
    expect(leaves(Duplicated(packed).dval).length).toBe(2);
  });
});
