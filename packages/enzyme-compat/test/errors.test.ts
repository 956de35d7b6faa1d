/** Bad inputs: named errors, and the model, its shadow and the optimiser state exactly as they were. */
import ndarray from "ndarray";
import { sum, abs2, sub, mul, leaves, toFlatArray, zerosArray, type Tensor, type NdArray } from "@tsflux/graph";
import { Chain, Dense, sigmoid, randn32 } from "@tsflux/layers";
import { setup, Adam } from "@tsflux/optim";
import { Duplicated, Const, Active, gradient, withgradient, train, ActivityError, ArgumentError, DomainError } from "@tsflux/enzyme-compat";
import { ShapeError, seed } from "@tsflux/graph";

seed(5);
const model = Chain(Dense(3, 4, sigmoid), Dense(4, 2));
const dup = Duplicated(model);
const state = setup(Adam(), model);
const x = randn32(3, 2), y = randn32(2, 2);
const loss = (m: Chain, x: Tensor, y: Tensor) => sum(abs2(sub(m.forward(x), y)));

/** Every number in the model, its shadow and the optimiser state (Leaf states hold arrays). */
function snapshot(): number[][] {
  const arrays = [...leaves(model), ...leaves(dup.dval), ...leaves(state)].map((l) => l.value);
  return [...new Set<NdArray>(arrays)].map((a) => toFlatArray(a));
}

beforeAll(() => {
  gradient(loss, dup, Const(x), Const(y)); // a non-zero shadow, so that zeroing it would show
});

function expectUnchanged(f: () => unknown, error: new (...a: never[]) => Error, message: string | RegExp): void {
  const before = snapshot();
  expect(f).toThrow(error);
  expect(f).toThrow(message);
  expect(snapshot()).toEqual(before);
}

test("no Duplicated argument", () => {
  // @ts-expect-error: refused at compile time too, when the arguments' types are known
  expectUnchanged(() => gradient(loss, model, Const(x), Const(y)), ActivityError,
    "The method `gradient(f, xs...)` using Enzyme requires at least one `Duplicated` argument, not just `Const`.");
  // @ts-expect-error: as above
  expectUnchanged(() => withgradient(loss, Const(model), x, y), ActivityError,
    "The method `withgradient(f, xs...)` using Enzyme requires at least one `Duplicated` argument, not just `Const`.");
});

test("Active in Flux's gradient", () => {
  expectUnchanged(() => gradient((m: Chain, s: Tensor) => mul(sum(m.forward(x)), s), dup, Active(2)), ArgumentError,
    "The method `gradient(f, xs...)` using Enzyme does not support `Active`, only `Duplicated` and `Const`.");
});

test("a loss that returns a non-scalar", () => {
  expectUnchanged(() => gradient((m: Chain, x: Tensor) => m.forward(x), dup, Const(x)), ArgumentError,
    "`gradient(f, xs...)` expects that `y = f(xs...)` is a real number, or else an array or object whose first element (or `loss` field) is a real number; got an array of shape [2, 2]");
});

test("a NaN loss in train stops before any update", () => {
  const bad = ndarray(new Float32Array([NaN, 1, 2, 3, 4, 5]), [3, 2]);
  const data = [[x, y], [bad, y], [x, y]];
  const before = snapshot().slice(0, leaves(model).length); // the model's arrays
  const seen: number[] = [];
  const call = () => train(loss, dup, data, state, { onStep: ({ step }) => seen.push(step) });
  expect(call).toThrow(DomainError);
  expect(seen).toEqual([1]); // the first item trained, the second stopped everything
  seen.length = 0;
  // from the state after step 1, the failing step changes neither the model nor the optimiser state
  const afterFirst = [...leaves(model), ...leaves(state)].map((l) => toFlatArray(l.value));
  expect(() => train(loss, dup, [[bad, y]], state)).toThrow("Loss is NaN on data item 1, stopping training");
  expect([...leaves(model), ...leaves(state)].map((l) => toFlatArray(l.value))).toEqual(afterFirst);
  expect(before.length).toBeGreaterThan(0);
});

test("data items of the wrong arity: the failing item changes nothing", () => {
  expectUnchanged(() => train(loss, dup, [[x]], state), ArgumentError, "train: data item 1 has 1 value, but the loss takes 2 after the model");
  expectUnchanged(() => train(loss, dup, [[x, y, y]], state), ArgumentError, "train: data item 1 has 3 values, but the loss takes 2 after the model");
});

test("a shadow whose structure or shapes differ from its value", () => {
  const wrongShape = Chain(Dense(3, 4, sigmoid), Dense(4, 3));
  expect(() => Duplicated(model, wrongShape)).toThrow(ShapeError);
  expect(() => Duplicated(model, wrongShape)).toThrow(/^Duplicated: the shadow at \.layers\[1\]\.weight is Float32\[3, 4\], the value is Float32\[2, 4\]/);
  expect(() => Duplicated(model, { layers: [] } as unknown as Chain)).toThrow(/^Duplicated: the shadow at \.layers\[0\]\.weight is missing/);
  expect(() => Duplicated(zerosArray([3], "f32"), zerosArray([4], "f32"))).toThrow("Duplicated: the shadow must be an array of shape [3], got Float32[4]");
  // a shadow array replaced after construction is caught before anything runs, by the engine
  const d = Duplicated(model);
  (d.dval as unknown as { layers: { bias: NdArray }[] }).layers[0]!.bias = zerosArray([5], "f32");
  expectUnchanged(() => gradient(loss, d, Const(x), Const(y)), ShapeError, /the shadow at '\.layers\[0\]\.bias' is f32\[5\], the value is f32\[4\]/);
});
