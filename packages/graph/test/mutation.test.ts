/** Mutation through SSA versions: Enzyme's shadow semantics, gradients of mutating code, kept copies, errors. */
import ndarray from "ndarray";
import {
  reverseWithShadows, assign, addAssign, mulAssign, fill, mul, add, sum, abs2, tanh, exp, copy, zerosLike, trace, vjp, compile,
  toFlatArray, wrapColMajor, VersionError, ActivityError, type Tensor, type NdArray, type ShadowedArg,
} from "@tsflux/graph";
import { gradcheck, numericalJacobian, expectClose, mulberry32, randomArray, seedFrom } from "@tsflux/graph/testing";

const rng = mulberry32(seedFrom("mutation.test"));
const dup = (value: NdArray, shadow: NdArray): ShadowedArg => ({ value, activity: "duplicated", shadow });
const flat = (a: NdArray) => toFlatArray(a);

describe.each([["Float32", Float32Array], ["Float64", Float64Array]] as const)("a mutating f!(y, x) in %s", (_name, Arr) => {
  const f = (y: Tensor, x: Tensor) => {
    assign(y, mul(x, x));
  };

  test("y = x², dx accumulates 2x, dy is consumed", () => {
    const x = ndarray(new Arr([1, 2, 3])), dx = ndarray(new Arr(3));
    const y = ndarray(new Arr(3)), dy = ndarray(new Arr([1, 1, 1]));
    reverseWithShadows(f, [dup(y, dy), dup(x, dx)], { activeReturn: false });
    expect(flat(y)).toEqual([1, 4, 9]);
    expect(flat(dx)).toEqual([2, 4, 6]);
    expect(flat(dy)).toEqual([0, 0, 0]);
    expect(flat(x)).toEqual([1, 2, 3]);
  });

  test("dx accumulates over two calls; a consumed dy contributes nothing", () => {
    const x = ndarray(new Arr([1, 2, 3])), dx = ndarray(new Arr(3));
    const y = ndarray(new Arr(3)), dy = ndarray(new Arr([1, 1, 1]));
    reverseWithShadows(f, [dup(y, dy), dup(x, dx)], { activeReturn: false });
    reverseWithShadows(f, [dup(y, dy), dup(x, dx)], { activeReturn: false });
    expect(flat(dx)).toEqual([2, 4, 6]); // dy was zero on the second call
    dy.data.fill(1);
    reverseWithShadows(f, [dup(y, dy), dup(x, dx)], { activeReturn: false });
    expect(flat(dx)).toEqual([4, 8, 12]);
    expect(flat(dy)).toEqual([0, 0, 0]);
  });
});

describe("gradients of mutating functions against Float64 finite differences", () => {
  const x = randomArray(rng, [4], "f64", "unit"), w = randomArray(rng, [4], "f64", "unit");

  test("accumulation into a fresh buffer in a loop", () => {
    const f = (x: Tensor, w: Tensor) => {
      const acc = zerosLike(x);
      for (let k = 1; k <= 3; k++) addAssign(acc, mul(tanh(mul(x, k)), w));
      return sum(abs2(acc));
    };
    gradcheck(f, [x, w], { what: "accumulation loop" });
  });

  test("an overwritten intermediate that the backward pass needs is kept", () => {
    const f = (x: Tensor) => {
      const t = tanh(x);
      const s = sum(mul(t, t)); // mul's derivative needs t@0
      assign(t, exp(x)); // t@1 overwrites it
      return add(s, sum(mul(t, x)));
    };
    gradcheck(f, [x], { what: "overwritten intermediate" });
    const graph = trace((x: Tensor) => vjp(f, [x]).grads[0]!, x);
    const text = String(graph);
    const copyLine = text.split("\n").findIndex((l) => / = copy %\d+$/.test(l.trim()) && !l.includes("x0@0"));
    const assignLine = text.split("\n").findIndex((l) => l.includes("= assign"));
    expect(copyLine).toBeGreaterThan(0);
    expect(copyLine).toBeLessThan(assignLine); // the kept copy is made before the overwrite
  });

  test("a buffer mutated twice", () => {
    const f = (x: Tensor, w: Tensor) => {
      const y = copy(x);
      mulAssign(y, w);
      addAssign(y, mul(x, x));
      mulAssign(y, tanh(y));
      return sum(y);
    };
    gradcheck(f, [x, w], { what: "mutated twice" });
  });

  test("a mutated Duplicated input: its shadow ends up holding the gradient of its initial value", () => {
    const y0 = randomArray(rng, [4], "f64", "unit");
    const mutating = (y: Tensor, x: Tensor) => {
      mulAssign(y, x);
      return sum(abs2(y));
    };
    const pure = (y: Tensor, x: Tensor) => sum(abs2(mul(y, x)));
    const y = wrapColMajor(Float64Array.from(y0.data), [4]);
    const dy = wrapColMajor(new Float64Array(4), [4]), dx = wrapColMajor(new Float64Array(4), [4]);
    const { value } = reverseWithShadows(mutating, [dup(y, dy), dup(x, dx)], { activeReturn: true });
    expectClose(flat(y), flat(y0).map((v, i) => v * x.data[i]!), { rtol: 1e-15 }); // y was mutated in place
    expectClose(value!, [flat(y0).reduce((s, v, i) => s + (v * x.data[i]!) ** 2, 0)], { rtol: 1e-14 });
    const [jy, jx] = [numericalJacobian(pure, [y0, x], 0), numericalJacobian(pure, [y0, x], 1)];
    expectClose(dy, jy.map((c) => c[0]!), { rtol: 1e-3, atol: 1e-5 });
    expectClose(dx, jx.map((c) => c[0]!), { rtol: 1e-3, atol: 1e-5 });
  });

  test("a mutated argument is mutated in the caller's array exactly once per run", () => {
    const counter = wrapColMajor(Float64Array.from([0, 10]), [2]);
    const bump = (c: Tensor, x: Tensor) => {
      addAssign(c, 1);
      return sum(x);
    };
    const plan = compile(trace(bump, counter, x));
    plan.run(counter, x);
    plan.run(counter, x);
    expect(flat(counter)).toEqual([2, 12]);
  });
});

describe("errors before anything runs, with every array unchanged", () => {
  const snapshot = (...as: NdArray[]) => as.map(flat);

  test("VersionError: the backward needs an overwritten version of a DuplicatedNoNeed buffer", () => {
    const f = (y: Tensor, x: Tensor) => {
      const s = sum(mul(y, x)); // the derivative for x needs y@0
      fill(y, 0); // y@1
      return s;
    };
    const y = wrapColMajor(Float64Array.from([1, 2]), [2]), x = wrapColMajor(Float64Array.from([3, 4]), [2]);
    const dy = wrapColMajor(Float64Array.from([0.5, 0.5]), [2]), dx = wrapColMajor(Float64Array.from([0.25, 0.25]), [2]);
    const before = snapshot(y, x, dy, dx);
    const call = () => reverseWithShadows(f, [{ value: y, activity: "duplicatedNoNeed", shadow: dy }, dup(x, dx)], { activeReturn: true });
    expect(call).toThrow(VersionError);
    expect(call).toThrow(
      "mul (derivative of %2:f64[2] = mul x0@0 x1@0) needs x0@0 of buffer x0, but fill overwrote it (x0@1:f64[2] = fill[value=0] x0@0), " +
        "and no copy of x0 may be kept because it is DuplicatedNoNeed; mark it Duplicated, or copy the value before the fill",
    );
    expect(snapshot(y, x, dy, dx)).toEqual(before);
    // as Duplicated, a copy is kept and the gradients are right
    reverseWithShadows(f, [dup(y, dy), dup(x, dx)], { activeReturn: true });
    expect(flat(dx)).toEqual([1.25, 2.25]);
    expect(flat(y)).toEqual([0, 0]);
  });

  test("ActivityError: active values written into a Const argument that reach the result", () => {
    const f = (tmp: Tensor, x: Tensor) => {
      assign(tmp, mul(x, 2));
      return sum(tmp);
    };
    const tmp = wrapColMajor(Float64Array.from([7, 7]), [2]), x = wrapColMajor(Float64Array.from([1, 2]), [2]);
    const dx = wrapColMajor(new Float64Array(2), [2]);
    const before = snapshot(tmp, x, dx);
    const call = () => reverseWithShadows(f, [{ value: tmp, activity: "const" }, dup(x, dx)], { activeReturn: true });
    expect(call).toThrow(ActivityError);
    expect(call).toThrow(
      "assign: writes values that depend on the differentiated arguments into argument 1 (x0), which is Const (x0@1), and they reach " +
        "the differentiated result, so their derivative would be lost: mark it Duplicated (at x0@1:f64[2] = assign x0@0 %3)",
    );
    expect(snapshot(tmp, x, dx)).toEqual(before);
  });

  test("writes into a Const argument that do not reach the result are fine", () => {
    const f = (log: Tensor, x: Tensor) => {
      assign(log, x);
      return sum(abs2(x));
    };
    const log = wrapColMajor(new Float64Array(2), [2]), x = wrapColMajor(Float64Array.from([1, 2]), [2]);
    const dx = wrapColMajor(new Float64Array(2), [2]);
    reverseWithShadows(f, [{ value: log, activity: "const" }, dup(x, dx)], { activeReturn: true });
    expect(flat(dx)).toEqual([2, 4]);
    expect(flat(log)).toEqual([1, 2]);
  });
});

test("the printed IR shows versions (%2@1) and the kept copy (%13) made before the overwrite", () => {
  const y = wrapColMajor(new Float32Array(3), [3]), x = wrapColMajor(new Float32Array(3), [3]);
  const graph = trace((y: Tensor, x: Tensor) => vjp((y, x) => {
    const t = mul(y, x);
    mulAssign(y, x); // y@1 = y@0 x overwrites y@0, which mul's derivative needs
    return sum(add(t, y)); // Σ 2 y@0 x: ȳ = 2x, x̄ = 2 y@0
  }, [y, x]).grads, y, x);
  expect(String(graph)).toBe(`{ lambda x0@0:f32[3] x1@0:f32[3] .
  let %2:f32[3] = copy x0@0
      %3:f32[3] = copy x1@0
      %4:f32[3] = mul %2 %3
      %13:f32[3] = copy %2
      %2@1:f32[3] = mulAssign %2 %3
      %6:f32[3] = add %4 %2@1
      %7:f32[] = sum[dims=:] %6
      %9:f32[1] = reshape[shape=(1,)] 1.0:f32[]
      %10:f32[3] = broadcastTo[shape=(3,)] %9
      %11:f32[3] = mul %10 %3
      %12:f32[3] = mul %10 %13
      %14:f32[3] = mul %10 %3
      %15:f32[3] = mul %10 %13
      %16:f32[3] = add %11 %14
      %17:f32[3] = add %12 %15
  in ( %16 %17 ) }`);
});

test("bug: vjp of a function that mutates its own argument differentiated the mutated version", () => {
  const y = wrapColMajor(Float64Array.from([1, 2, 3]), [3]), x = wrapColMajor(Float64Array.from([4, 5, 6]), [3]);
  const { grads } = vjp((y, x) => {
    const t = mul(y, x);
    mulAssign(y, x);
    return sum(add(t, y));
  }, [y, x]);
  expect(flat(grads[0]!.toNdarray())).toEqual([8, 10, 12]);
  expect(flat(grads[1]!.toNdarray())).toEqual([2, 4, 6]);
  expect(flat(y)).toEqual([1, 2, 3]); // graph-level vjp treats arguments as values
});
