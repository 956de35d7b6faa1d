/** Flux's `state` and `loadmodel!`: the state tree, loading in place, and mismatches that change nothing. */
import { seed, toFlatArray, wrapColMajor, type NdArray } from "@tsflux/graph";
import {
  Chain, Dense, Dropout, LayerNorm, StateMismatchError, f64, loadmodel, randn32, relu, softmax, state, type StateTree,
} from "@tsflux/layers";
import { floatLeaves } from "./params";

const mlp = (hidden = 3, out = 1) => Chain(Dense(2, hidden, relu), Dense(hidden, out));
/** Every float array's values, in walk order: what "unchanged" is checked against. */
const snapshot = (model: unknown) => floatLeaves(model).map(toFlatArray);

describe("state", () => {
  test("mirrors the children, holds the model's own arrays, and has null for functions", () => {
    const model = Chain(Dense(2, 3, relu), Dense(3, 2, relu, { bias: false }), softmax);
    const [d1, d2] = model.layers;
    expect(state(model)).toEqual({
      layers: [
        { weight: d1.weight, bias: d1.bias, activation: null },
        { weight: d2.weight, bias: false, activation: null },
        null,
      ],
    });
    const s = state(model) as { layers: { weight: NdArray }[] };
    expect(s.layers[0]!.weight).toBe(d1.weight);
  });

  test("keeps numbers, strings and lists, and names of a named Chain", () => {
    const model = Chain({ norm: LayerNorm(3), drop: Dropout(0.25) });
    const s = state(model) as { layers: { norm: Record<string, StateTree>; drop: Record<string, StateTree> } };
    expect(s.layers.drop).toEqual({ p: 0.25, dims: ":", active: null });
    expect(s.layers.norm.eps).toBe(1e-5);
    expect(s.layers.norm.size).toEqual([3]);
    expect(s.layers.norm.affine).toBe(true);
    expect(s.layers.norm.diag).toEqual({ scale: model.layers.norm.diag!.scale, bias: model.layers.norm.diag!.bias, activation: null });
  });

  test("the state of a state is an equal tree", () => {
    const s = state(mlp());
    expect(state(s)).toEqual(s);
  });
});

describe("loadmodel", () => {
  test("copies the arrays in place and returns the model; the two models then compute the same", () => {
    seed(1);
    const trained = mlp();
    seed(2);
    const fresh = mlp();
    const weightArray = fresh.layers[0].weight;
    expect(snapshot(fresh)).not.toEqual(snapshot(trained));
    expect(loadmodel(fresh, state(trained))).toBe(fresh);
    expect(fresh.layers[0].weight).toBe(weightArray);
    expect(fresh.layers[0].weight).not.toBe(trained.layers[0].weight);
    expect(snapshot(fresh)).toEqual(snapshot(trained));
    const x = randn32(2, 4);
    expect(toFlatArray(fresh.forward(x).toNdarray())).toEqual(toFlatArray(trained.forward(x).toNdarray()));
  });

  test("accepts another model as the source (Flux's loadmodel!(dst, src))", () => {
    const src = mlp(), dst = mlp();
    loadmodel(dst, src);
    expect(snapshot(dst)).toEqual(snapshot(src));
  });

  test("reads source arrays by logical index, whatever their strides", () => {
    const dst = Dense(2, 3);
    const transposed = wrapColMajor(new Float32Array([1, 2, 3, 4, 5, 6]), [2, 3]).transpose(1, 0); // [3, 2]: rows (1,2) (3,4) (5,6)
    loadmodel(dst, { weight: transposed, bias: wrapColMajor(new Float32Array([7, 8, 9]), [3]), activation: null });
    expect(toFlatArray(dst.weight)).toEqual([1, 3, 5, 2, 4, 6]);
    expect(toFlatArray(dst.bias as NdArray)).toEqual([7, 8, 9]);
  });

  test("a tied layer is loaded once, from the first place it appears", () => {
    const shared = Dense(3, 3);
    const model = Chain(shared, shared);
    const source = Chain(Dense(3, 3), Dense(3, 3));
    loadmodel(model, source);
    expect(model.layers[1]).toBe(model.layers[0]);
    expect(toFlatArray(model.layers[1].weight)).toEqual(toFlatArray(source.layers[0].weight));
    expect(toFlatArray(model.layers[1].weight)).not.toEqual(toFlatArray(source.layers[1].weight));
  });

  test("functions, numbers and flags need not match, and may be left out", () => {
    const dst = Chain(Dense(2, 2, relu), Dropout(0.5), softmax);
    const src = Chain(Dense(2, 2), Dropout(0.1), relu);
    const { weight, bias } = src.layers[0];
    loadmodel(dst, { layers: [{ weight, bias }, {}] });
    expect(toFlatArray(dst.layers[0].weight)).toEqual(toFlatArray(weight));
    expect(dst.layers[0].activation).toBe(relu);
    expect(dst.layers[1].p).toBe(0.5);
  });
});

describe("loadmodel: a mismatched state is a StateMismatchError and leaves the model unchanged", () => {
  /** Runs loadmodel, which must throw; returns the error after checking the model did not change. */
  function mismatch(model: unknown, source: unknown): StateMismatchError {
    const before = snapshot(model);
    let error: unknown;
    try {
      loadmodel(model, source);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(StateMismatchError);
    expect(snapshot(model)).toEqual(before);
    return error as StateMismatchError;
  }

  test("an array of another size, after arrays that did fit (nothing is written before the check)", () => {
    const e = mismatch(mlp(3, 1), state(mlp(3, 2)));
    expect(e.kind).toBe("shape");
    expect(e.path).toBe("model.layers[1].weight");
    expect(e.message).toBe("loadmodel: model.layers[1].weight: tried to load an array of size [2, 3] into one of size [1, 3]");
  });

  test("another element type", () => {
    const e = mismatch(mlp(), state(f64(mlp())));
    expect(e.kind).toBe("dtype");
    expect(e.message).toBe("loadmodel: model.layers[0].weight: the model has element type f32, the state has f64 (convert with f32/f64 first)");
  });

  test("fewer layers", () => {
    const e = mismatch(Chain(Dense(2, 2), Dense(2, 2), Dense(2, 2)), state(Chain(Dense(2, 2), Dense(2, 2))));
    expect(e.kind).toBe("structure");
    expect(e.message).toBe("loadmodel: model.layers: the state's children do not match the model's (missing 2)");
  });

  test("an unexpected child", () => {
    const e = mismatch(Dense(2, 2), { ...(state(Dense(2, 2)) as object), scale: randn32(2) });
    expect(e.message).toBe("loadmodel: model: the state's children do not match the model's (unexpected scale)");
  });

  test("a missing bias, and a bias where the model has none", () => {
    const noBias = Dense(2, 2, relu, { bias: false });
    expect(mismatch(Dense(2, 2), state(noBias)).message).toBe("loadmodel: model.bias: the model has an f32 array of size [2], the state has false");
    expect(mismatch(noBias, state(Dense(2, 2))).message).toBe("loadmodel: model.bias: the model has false, the state has an f32 array of size [2]");
  });

  test("a list where the model has an object, and a number where it has an array", () => {
    expect(mismatch(mlp(), { layers: { a: 1 } }).message).toBe("loadmodel: model.layers: the model has a list of 2, the state has an object with keys {a}");
    expect(mismatch(Dense(2, 2), { weight: 3, bias: null, activation: null }).message).toBe("loadmodel: model.weight: the model has an f32 array of size [2, 2], the state has 3");
  });
});

describe("Duplicated models (marked as enzyme-compat marks them)", () => {
  const duplicated = <T>(val: T, dval: T) => ({ [Symbol.for("tsflux.duplicated")]: true, val, dval });

  test("the state of Duplicated(model) is the state of the model", () => {
    const model = mlp();
    expect(state(duplicated(model, mlp()))).toEqual(state(model));
  });

  test("loadmodel loads into the model, not the shadow", () => {
    const source = mlp(), model = mlp(), shadow = mlp();
    const shadowBefore = snapshot(shadow);
    loadmodel(duplicated(model, shadow), source);
    expect(snapshot(model)).toEqual(snapshot(source));
    expect(snapshot(shadow)).toEqual(shadowBefore);
  });
});
