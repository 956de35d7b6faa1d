/** Bad inputs: each is a named error raised before any kernel runs, with the op and both shapes/dtypes. */
import ndarray from "ndarray";
import {
  add, mul, exp, matmul, sum, reshape, getindex, full, trace, compile, where, concat, permutedims, broadcastTo,
  setMemoryBudget, allocationCount, Tensor, ShapeError, DTypeError, GraphError, OutOfMemoryError, type NdArray,
} from "@tsflux/graph";

const f32 = (shape: number[]) => ndarray(new Float32Array(shape.reduce((a, b) => a * b, 1)), shape);
const f64 = (shape: number[]) => ndarray(new Float64Array(shape.reduce((a, b) => a * b, 1)), shape);

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error("expected an error, none was thrown");
}

describe("shapes that do not broadcast", () => {
  test("eager: names the op, both shapes and the dimension", () => {
    const e = thrown(() => add(f32([3, 2]), f32([4, 2])));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toBe("add: shapes [3, 2] (a) and [4, 2] (b) do not broadcast: dimension 1 is 3 vs 4");
  });

  test("traced: raised at trace time, and no node is added", () => {
    const x = f32([3, 2]), y = f32([2, 3]);
    let nodesBefore = -1;
    const e = thrown(() => trace((a: Tensor, b: Tensor) => {
      nodesBefore = a.trace!.graph.nodes.length;
      return mul(a, b);
    }, x, y));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toMatch(/^mul: shapes \[3, 2\] \(a\) and \[2, 3\] \(b\) do not broadcast/);
    expect(nodesBefore).toBe(0);
  });

  test("Julia rules: missing trailing dims are 1, leading ones are not", () => {
    expect(add(f32([10, 1]), f32([10])).shape).toEqual([10, 1]);
    expect(add(f32([3, 4]), f32([3])).shape).toEqual([3, 4]);
    expect(() => add(f32([3, 4]), f32([4]))).toThrow(ShapeError);
    expect(() => broadcastTo(f32([2, 3]), [3, 3])).toThrow(/^broadcastTo: an array of shape \[2, 3\] does not broadcast to \[3, 3\]/);
  });

  test("where: condition and branches", () => {
    expect(() => where(ndarray(new Uint8Array(3), [3]), f32([4]), f32([4]))).toThrow(/^where: shapes \[3\] \(cond\) and \[4\] \(a\) do not broadcast/);
  });
});

describe("matmul inner dimensions", () => {
  test("names both shapes and the dims", () => {
    const e = thrown(() => matmul(f32([8, 5]), f32([4, 2])));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toBe("matmul: inner dimensions differ in A * B: A is [8, 5], B is [4, 2] (5 vs 4)");
  });

  test("with transpose flags", () => {
    expect(() => matmul(f32([8, 5]), f32([2, 4]), { transB: true })).toThrow("matmul: inner dimensions differ in A * B': A is [8, 5], B is [2, 4] (5 vs 4)");
    expect(() => matmul(f32([2, 3, 4]), f32([4, 2]))).toThrow(/^matmul: A must be a matrix/);
  });
});

describe("dtypes", () => {
  test("Float32 mixed with Float64", () => {
    const e = thrown(() => add(f32([3]), f64([3])));
    expect(e).toBeInstanceOf(DTypeError);
    expect(e.message).toBe("add: Float32 mixed with Float64: a is f32[3], b is f64[3]; convert one with astype");
  });

  test("matmul and concat refuse mixed precision too", () => {
    expect(() => matmul(f32([2, 2]), f64([2, 2]))).toThrow(DTypeError);
    expect(() => concat([f32([2]), f64([2])], { dims: 1 })).toThrow(DTypeError);
  });

  test("integer arrays where floats are needed", () => {
    const ints = ndarray(new Int32Array([1, 2, 3]), [3]);
    const e = thrown(() => exp(ints));
    expect(e).toBeInstanceOf(DTypeError);
    expect(e.message).toBe('exp: argument x must be a Float32 or Float64 array, got Int32 array of shape [3]; convert it with astype(x, "f32")');
    expect(() => sum(ints)).toThrow(DTypeError);
    expect(() => add(ints, f32([3]))).toThrow(/^add: argument a must be a Float32 or Float64 array, got Int32/);
  });

  test("unsupported storage", () => {
    expect(() => exp(ndarray(new Int16Array(3), [3]) as unknown as NdArray)).toThrow(/^exp: unsupported storage Int16Array/);
    expect(() => exp([1, 2, 3] as unknown as NdArray)).toThrow(/^exp: argument x must be a Tensor, an ndarray or a number, got a plain JS array/);
  });
});

describe("shapes too large or invalid", () => {
  test("element counts that overflow are refused before allocating", () => {
    const before = allocationCount();
    const e = thrown(() => full(0, [2 ** 30, 2 ** 30, 2 ** 30]));
    expect(e).toBeInstanceOf(ShapeError);
    expect(e.message).toBe("full: shape [1073741824, 1073741824, 1073741824] has more elements than can be counted exactly");
    expect(allocationCount()).toBe(before);
  });

  test("arrays beyond the memory budget", () => {
    const e = thrown(() => full(0, [65536, 65536, 4], "f32"));
    expect(e).toBeInstanceOf(OutOfMemoryError);
    expect(e.message).toBe("full: an array of shape [65536, 65536, 4]: needs 64.000 GiB, more than the memory budget of 1024.000 MiB (setMemoryBudget)");
  });

  test("a plan whose arena exceeds the budget fails at compile time, before allocating", () => {
    const graph = trace((x: Tensor) => sum(exp(mul(x, 2))), f32([256, 256]));
    const old = setMemoryBudget(128 * 1024);
    try {
      const before = allocationCount();
      expect(() => compile(graph)).toThrow(OutOfMemoryError);
      expect(allocationCount()).toBe(before);
    } finally {
      setMemoryBudget(old);
    }
  });

  test("invalid dims", () => {
    expect(() => full(0, [2.5])).toThrow("full: invalid dimension 2.5 in shape [2.5]");
    expect(() => full(0, [-1])).toThrow("full: invalid dimension -1 in shape [-1]");
    expect(() => full(0, [NaN])).toThrow(ShapeError);
    expect(() => sum(f32([2, 2]), { dims: 0 })).toThrow("sum: dims must be positive integers (1-based, as in Julia), got 0");
  });

  test("reshape, permutedims and getindex name their shapes", () => {
    expect(() => reshape(f32([3, 4]), [5, 2])).toThrow("reshape: cannot reshape array of shape [3, 4] (12 elements) to [5, 2] (10 elements)");
    expect(() => permutedims(f32([3, 4]), [1, 1])).toThrow("permutedims: (1, 1) is not a permutation of the 2 dims of an array of shape [3, 4]");
    expect(() => getindex(f32([3, 4]), 4, ":")).toThrow("getindex: index 4 in dim 1 is out of bounds for an array of shape [3, 4]");
  });
});

describe("misuse of tensors", () => {
  test("Number() of a tensor with many elements, or of a symbolic one", () => {
    expect(() => Number(Tensor.concrete(f32([3])))).toThrow("Number(t): expected a tensor with one element, got shape [3]");
    expect(() => trace((x: Tensor) => Number(sum(x)), f32([3]))).toThrow(/^Number\(t\): %\d+:f32\[\] is symbolic/);
  });

  test("a symbolic tensor used after its trace finished", () => {
    let leaked: Tensor | undefined;
    trace((x: Tensor) => (leaked = exp(x)), f32([2]));
    expect(() => add(leaked!, 1)).toThrow(GraphError);
    expect(() => add(leaked!, 1)).toThrow(/belongs to a trace that has finished/);
  });

  test("a plan bound to an input of another shape or dtype", () => {
    const plan = compile(trace((x: Tensor) => exp(x), f32([3])));
    expect(() => plan.bind(0, f32([4]))).toThrow("plan: input 0 (x0@0:f32[3]) was traced with shape [3], got [4]");
    expect(() => plan.bind(0, f64([3]))).toThrow("plan: input 0 (x0@0:f32[3]) was traced as f32, got f64");
  });
});
