/** Each layer's forward pass against values worked out by hand (or with plain JS arithmetic, independently of the graph). */
import { Tensor, add, toFlatArray, trace, vcat, wrapColMajor, type NdArray } from "@tsflux/graph";
import { expectClose } from "@tsflux/graph/testing";
import { Chain, Dense, Dropout, LayerNorm, Parallel, Scale, SkipConnection, relu, tanh, testmode, trainmode } from "@tsflux/layers";
import { f32Array, f64Array } from "./params";

const values = (t: Tensor): number[] => toFlatArray(t.toNdarray());

// W = [1 2 3; 4 5 6] (column-major data), b = [10, 20]; x has columns (1, 1, 1) and (2, 0, -1)
const W = () => f32Array([1, 4, 2, 5, 3, 6], [2, 3]);
const b = () => f32Array([10, 20], [2]);
const x = f32Array([1, 1, 1, 2, 0, -1], [3, 2]);
// W x = [6 -1; 15 2], W x + b = [16 9; 35 22]

describe("Dense", () => {
  test("W x .+ b on a batch of columns", () => {
    const y = Dense(W(), b()).forward(x);
    expect(y.shape).toEqual([2, 2]);
    expect(values(y)).toEqual([16, 35, 9, 22]);
  });

  test("the activation is applied elementwise", () => {
    expectClose(Dense(W(), b(), tanh).forward(x), [16, 35, 9, 22].map(Math.tanh), { rtol: 1e-6 });
    expect(values(Dense(W(), f32Array([-10, -20], [2]), relu).forward(x))).toEqual([0, 0, 0, 0]);
  });

  test("bias = false leaves out the bias; a vector input gives a vector", () => {
    const y = Dense(W(), false).forward(f32Array([1, 1, 1], [3]));
    expect(y.shape).toEqual([2]);
    expect(values(y)).toEqual([6, 15]);
  });

  test("extra batch dims are kept: [3, 2, 2] -> [2, 2, 2], column by column", () => {
    const x3 = f32Array([1, 1, 1, 2, 0, -1, 0, 0, 1, 1, 0, 0], [3, 2, 2]);
    const y = Dense(W(), b()).forward(x3);
    expect(y.shape).toEqual([2, 2, 2]);
    // third column (0, 0, 1): W·= (3, 6); fourth (1, 0, 0): (1, 4); plus b
    expect(values(y)).toEqual([16, 35, 9, 22, 13, 26, 11, 24]);
  });

  test("Float64 parameters and input stay Float64; Int32 and Bool inputs are converted", () => {
    const y64 = Dense(f64Array([1, 4, 2, 5, 3, 6], [2, 3]), f64Array([10, 20], [2])).forward(f64Array([1, 1, 1], [3]));
    expect(y64.dtype).toBe("f64");
    expect(values(y64)).toEqual([16, 35]);
    expect(values(Dense(W(), b()).forward(wrapColMajor(new Int32Array([1, 1, 1]), [3])))).toEqual([16, 35]);
    expect(values(Dense(W(), b()).forward(wrapColMajor(new Uint8Array([1, 0, 1]), [3])))).toEqual([14, 30]);
  });
});

describe("Chain", () => {
  test("applies its layers in order: relu(W x + b) then the second Dense", () => {
    // first: W x + b - [20; 30] = [-4 -11; 5 -8] -> relu -> [0 0; 5 0]; second: [1 1] h + 1 -> [6, 1]
    const model = Chain(Dense(W(), f32Array([-10, -10], [2]), relu), Dense(f32Array([1, 1], [1, 2]), f32Array([1], [1])));
    expect(values(model.forward(x))).toEqual([6, 1]);
  });

  test("named children apply in insertion order, functions included", () => {
    const named = Chain({ enc: Dense(W(), b()), act: (t: Tensor) => add(t, 1) });
    expect(values(named.forward(x))).toEqual([17, 36, 10, 23]);
  });

  test("an empty Chain is the identity", () => {
    expect(values(Chain().forward(x))).toEqual(values(Tensor.concrete(x)));
  });

  test("a symbolic input traces the model: parameters become graph inputs", () => {
    const model = Chain(Dense(W(), b(), relu), Dense(2, 1));
    const graph = trace((m: Chain, t: Tensor) => m.forward(t), model, x);
    const text = String(graph);
    expect(text.match(/matmul/g)).toHaveLength(2);
    expect(graph.inputs).toHaveLength(5);
  });
});

describe("Parallel and SkipConnection", () => {
  const d1 = () => Dense(W(), b());
  const d2 = () => Dense(f32Array([1, 0, 0, 1, 0, 0], [2, 3]), false); // picks x[1:2]

  test("one input goes to every branch, combined by the connection", () => {
    // d1(x) + d2(x) = [16 9; 35 22] + [1 2; 1 0]
    expect(values(Parallel(add, d1(), d2()).forward(x))).toEqual([17, 36, 11, 22]);
    expect(values(Parallel(vcat, d1(), d2()).forward(x))).toEqual([16, 35, 1, 1, 9, 22, 2, 0]);
  });

  test("several inputs go one to each branch; a binary connection folds over three branches", () => {
    const zeros = f32Array([0, 0, 0, 0, 0, 0], [3, 2]);
    expect(values(Parallel(add, d1(), d2()).forward(zeros, x))).toEqual([11, 21, 12, 20]);
    expect(values(Parallel(add, d2(), d2(), d2()).forward(x))).toEqual([3, 3, 6, 0]);
  });

  test("SkipConnection(layer, +) is layer(x) + x", () => {
    const square = Dense(f32Array([1, 0, 0, 0, 1, 0, 0, 0, 1], [3, 3]), f32Array([1, 2, 3], [3]));
    expect(values(SkipConnection(square, add).forward(x))).toEqual([3, 4, 5, 5, 2, 1]);
  });
});

describe("Scale and LayerNorm", () => {
  test("Scale: scale .* x .+ bias, with Flux's default ones and zeros", () => {
    const layer = Scale(3);
    expect(toFlatArray(layer.scale)).toEqual([1, 1, 1]);
    expect(toFlatArray(layer.bias as NdArray)).toEqual([0, 0, 0]);
    layer.scale = f32Array([2, 3, 4], [3]);
    layer.bias = f32Array([1, 1, 1], [3]);
    expect(values(layer.forward(x))).toEqual([3, 4, 5, 5, 1, -3]);
  });

  test("LayerNorm: (x - μ) / (σ + ϵ) per column with the population σ, then the Scale", () => {
    const input = f64Array([1, 2, 3, 2, 0, -1], [3, 2]);
    // column 1: μ = 2, σ = √(2/3); column 2: μ = 1/3, σ = √((25 + 1 + 16)/27)
    const expected = [[1, 2, 3], [2, 0, -1]].flatMap((col) => {
      const mu = col.reduce((a, v) => a + v, 0) / 3;
      const sigma = Math.sqrt(col.reduce((a, v) => a + (v - mu) ** 2, 0) / 3);
      return col.map((v) => (v - mu) / (sigma + 1e-5));
    });
    expect(expected[0]).toBeCloseTo(-1.2247, 4);
    const layer = LayerNorm(3);
    layer.diag!.scale = f64Array([1, 1, 1], [3]);
    layer.diag!.bias = f64Array([0, 0, 0], [3]);
    expectClose(layer.forward(input), expected, { rtol: 1e-12 });
    layer.diag!.scale = f64Array([2, 2, 2], [3]);
    layer.diag!.bias = f64Array([1, 1, 1], [3]);
    expectClose(layer.forward(input), expected.map((v) => 2 * v + 1), { rtol: 1e-12 });
  });

  test("LayerNorm over two dims normalises each [2, 2] slab; affine = false applies only the activation", () => {
    const input = f64Array([1, 2, 3, 4, 0, 0, 0, 8], [2, 2, 2]);
    const slab = (vals: number[]) => {
      const mu = vals.reduce((a, v) => a + v, 0) / vals.length;
      const sigma = Math.sqrt(vals.reduce((a, v) => a + (v - mu) ** 2, 0) / vals.length);
      return vals.map((v) => Math.tanh((v - mu) / (sigma + 1e-5)));
    };
    const y = LayerNorm(2, 2, tanh, { affine: false }).forward(input);
    expect(y.shape).toEqual([2, 2, 2]);
    expectClose(y, [...slab([1, 2, 3, 4]), ...slab([0, 0, 0, 8])], { rtol: 1e-12 });
  });
});

describe("Dropout", () => {
  test("test mode (and the automatic default) is the identity", () => {
    expect(values(Dropout(0.5).forward(x))).toEqual(values(Tensor.concrete(x)));
    expect(values(testmode(Dropout(0.5)).forward(x))).toEqual(values(Tensor.concrete(x)));
  });

  test("training mode keeps x / (1 - p) or zero; p = 1 drops everything, p = 0 nothing", () => {
    const y = values(trainmode(Dropout(0.5)).forward(x));
    y.forEach((v, i) => expect([0, 2 * values(Tensor.concrete(x))[i]!]).toContain(v));
    expect(values(trainmode(Dropout(1)).forward(x)).every((v) => v === 0)).toBe(true);
    expect(values(trainmode(Dropout(0)).forward(x))).toEqual(values(Tensor.concrete(x)));
  });

  test("trainmode / testmode reach every Dropout in a model, and 'auto' resets", () => {
    const model = Chain(Dropout(0.1), Chain(Dense(3, 3), Dropout(0.2)));
    const drops = [model.layers[0], model.layers[1].layers[1]];
    expect(trainmode(model)).toBe(model);
    expect(drops.map((d) => d.active)).toEqual([true, true]);
    testmode(model);
    expect(drops.map((d) => d.active)).toEqual([false, false]);
    trainmode(model, "auto");
    expect(drops.map((d) => d.active)).toEqual([null, null]);
    testmode(model, false);
    expect(drops.map((d) => d.active)).toEqual([true, true]);
  });
});
