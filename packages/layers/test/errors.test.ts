/** Bad inputs give named errors that start with the layer and its path, and name both sizes. */
import { GraphError, ShapeError, Tensor, add, toFlatArray, trace, vcat } from "@tsflux/graph";
import { ArgumentError, Chain, Dense, Dropout, LayerNorm, Parallel, Scale, SkipConnection, f64, relu, softmax } from "@tsflux/layers";
import { resetFloat64Warning } from "../src/eltype-warning";
import { f32Array, f64Array } from "./params";

const x = (...shape: number[]) => f32Array(new Array(shape.reduce((a, d) => a * d, 1)).fill(0.5), shape);

/** The error `f` throws (failing the test if it returns). */
function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error");
}

describe("wrong feature size or rank", () => {
  test("a Dense inside a Chain names its path and both sizes", () => {
    const model = Chain(Dense(4, 31), Dense(32, 10));
    const e = thrown(() => model.forward(x(4, 5)));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toBe("Chain.layers[1] Dense(32 => 10): expected size(x, 1) == 32, got x of size [31, 5]");
    expect(thrown(() => model.forward(x(3, 5))).message).toBe("Chain.layers[0] Dense(4 => 31): expected size(x, 1) == 4, got x of size [3, 5]");
  });

  test("a layer called on its own names itself; a 0-dimensional input fails the same check", () => {
    expect(thrown(() => Dense(2, 3, relu).forward(x(3))).message).toBe("Dense(2 => 3, relu): expected size(x, 1) == 2, got x of size [3]");
    expect(thrown(() => Dense(2, 3).forward(f32Array([1], []))).message).toBe("Dense(2 => 3): expected size(x, 1) == 2, got x of size []");
  });

  test("LayerNorm and Scale check every normalised dim, so too low a rank is caught", () => {
    expect(thrown(() => LayerNorm(3, 2).forward(x(3))).message).toBe("LayerNorm(3, 2): expected size(x, 2) == 2, got x of size [3]");
    expect(thrown(() => Chain(Scale(2, 3)).forward(x(2, 4))).message).toBe("Chain.layers[0] Scale(2, 3): expected size(x, 2) == 3, got x of size [2, 4]");
  });

  test("paths through nested, named, Parallel and SkipConnection containers", () => {
    const cases: [() => unknown, string][] = [
      [() => Chain(Chain(Dense(2, 3), Dense(4, 1))).forward(x(2, 5)), "Chain.layers[0].layers[1] Dense(4 => 1): expected size(x, 1) == 4, got x of size [3, 5]"],
      [() => Chain({ enc: Dense(2, 3), dec: Dense(4, 1) }).forward(x(2, 5)), "Chain.layers.dec Dense(4 => 1): expected size(x, 1) == 4, got x of size [3, 5]"],
      [() => Parallel(vcat, Dense(2, 3), Dense(3, 3)).forward(x(2, 5)), "Parallel.layers[1] Dense(3 => 3): expected size(x, 1) == 3, got x of size [2, 5]"],
      [() => Chain(SkipConnection(Dense(3, 2), add)).forward(x(2, 5)), "Chain.layers[0].layers Dense(3 => 2): expected size(x, 1) == 3, got x of size [2, 5]"],
      [() => Chain(Dense(2, 4), LayerNorm(3)).forward(x(2, 5)), "Chain.layers[1] LayerNorm(3): expected size(x, 1) == 3, got x of size [4, 5]"],
    ];
    for (const [f, message] of cases) {
      const e = thrown(f);
      expect(e).toBeInstanceOf(ShapeError);
      expect(e.message).toBe(message);
      expect(e.stack).toContain(message);
    }
  });

  test("the same errors while tracing (symbolic input)", () => {
    const model = Chain(Dense(2, 3), Dense(4, 1));
    const e = thrown(() => trace((t: Tensor) => model.forward(t), x(2, 5)));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toBe("Chain.layers[1] Dense(4 => 1): expected size(x, 1) == 4, got x of size [3, 5]");
  });

  test("a failing forward leaves the model's parameters unchanged", () => {
    const model = Chain(Dense(2, 3), Dense(4, 1));
    const before = [model.layers[0].weight, model.layers[1].weight].map(toFlatArray);
    thrown(() => model.forward(x(2, 5)));
    expect([model.layers[0].weight, model.layers[1].weight].map(toFlatArray)).toEqual(before);
  });
});

describe("other bad inputs", () => {
  test("Float64 input to a Float32 layer is converted, as Flux does, with a warning shown once", () => {
    resetFloat64Warning();
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const model = Chain(Dense(2, 3), LayerNorm(3));
      const y64 = model.forward(f64Array([1, 2], [2]));
      const y32 = model.forward(f32Array([1, 2], [2]));
      expect(y64.dtype).toBe("f32");
      expect(toFlatArray(y64.toNdarray())).toEqual(toFlatArray(y32.toNdarray()));
      LayerNorm(2).forward(f64Array([1, 2], [2]));
      expect(warn).toHaveBeenCalledTimes(1);
      expect(warn.mock.calls[0]![0]).toBe("Layer with Float32 parameters got Float64 input.\n  The input will be converted, but any earlier layers may be very slow.\n  size(x) = [2]");
    } finally {
      warn.mockRestore();
    }
  });

  test("Float32 input to a Float64 layer is widened, as Julia's promotion computes", () => {
    const model = f64(Dense(2, 3));
    expect(model.forward(f32Array([1, 2], [2])).dtype).toBe("f64");
  });

  test("a number or a plain array as input is a GraphError naming the layer", () => {
    expect(thrown(() => Dense(2, 3).forward(3 as never))).toBeInstanceOf(GraphError);
    expect(thrown(() => Dense(2, 3).forward(3 as never)).message).toBe("Dense(2 => 3): expected a Tensor or an ndarray as input, got a number");
    expect(thrown(() => Chain(relu).forward([1, 2] as never)).message).toBe("Chain(relu): expected a Tensor or an ndarray as input, got a plain JS array");
  });

  test("an op failing inside a function child is reported with the child's path", () => {
    const e = thrown(() => Chain(Dense(2, 3), (t: Tensor) => add(t, f32Array([1, 2], [2]))).forward(x(2, 5)));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toMatch(/^Chain\.layers\[1\] #anonymous: add: shapes \[3, 5\]/);
  });

  test("Parallel with the wrong number of inputs is an ArgumentError, as Flux's", () => {
    const e = thrown(() => Parallel(add, Dense(2, 2), Dense(2, 2)).forward(x(2, 1), x(2, 1), x(2, 1)));
    expect(e).toBeInstanceOf(ArgumentError);
    expect(e.message).toBe("Parallel(+, Dense(2 => 2), Dense(2 => 2)): Parallel with 2 sub-layers can take one input or 2 inputs, but got 3 inputs");
  });

  test("constructors reject what is not a layer, p outside [0, 1], and a bias of the wrong size", () => {
    expect(() => Chain(Dense(2, 2), 3 as never)).toThrow("Chain: child 1 must be a layer (with a forward method) or a function, got 3");
    expect(() => Dropout(1.5)).toThrow(ArgumentError);
    expect(() => Dropout(1.5)).toThrow("Dropout expects 0 ≤ p ≤ 1, got p = 1.5");
    expect(() => Dense(f32Array([1, 2, 3, 4], [2, 2]), f32Array([1, 2, 3], [3]))).toThrow(ShapeError);
    expect(() => Dense(2, -3)).toThrow("Dense: sizes must be non-negative integers, got (2, -3)");
    expect(() => LayerNorm(relu as never)).toThrow(ArgumentError);
    expect(() => SkipConnection(relu, 2 as never)).toThrow(ArgumentError);
    expect(() => Chain(softmax, { forward: 1 } as never)).toThrow(ArgumentError);
  });
});
