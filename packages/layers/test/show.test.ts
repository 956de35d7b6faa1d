/** Printing exactly as Flux: the seed model, Duplicated through bigShow, nested and named models, each rule of show.jl. */
import { inspect } from "node:util";
import { add, vcat, zerosArray, type Tensor } from "@tsflux/graph";
import {
  Chain, Dense, Dropout, Layer, LayerNorm, Parallel, Scale, SkipConnection, bigShow, compactString, formatBytes, identity,
  relu, sigmoid, softmax, tanh, underscorise, showCompact,
} from "@tsflux/layers";
import { f32Array } from "./params";

const seedModel = () => Chain(Dense(28 * 28, 32, sigmoid), Dense(32, 10), softmax);

describe("the seed model of the Enzyme walkthrough", () => {
  test("String(model) prints Flux's REPL form; 25_450 Float32 = 101_800 bytes = 99.414 KiB", () => {
    expect(String(seedModel())).toBe(
      [
        "Chain(",
        "  Dense(784 => 32, σ),                  # 25_120 parameters",
        "  Dense(32 => 10),                      # 330 parameters",
        "  softmax,",
        ")                   # Total: 4 arrays, 25_450 parameters, 99.414 KiB.",
      ].join("\n"),
    );
  });

  test("bigShow with a wrapper prints enzyme-compat's Duplicated, bytes counting model and shadow", () => {
    const text = bigShow(seedModel(), { pre: "Duplicated(", post: "  # norm(∇) ≈ 0.0\n) ", bytes: 2 * 101_800 });
    expect(text).toBe(
      [
        "Duplicated(",
        "  Chain(",
        "    Dense(784 => 32, σ),                # 25_120 parameters",
        "    Dense(32 => 10),                    # 330 parameters",
        "    softmax,",
        "  ),",
        "  # norm(∇) ≈ 0.0",
        ")                   # Total: 4 arrays, 25_450 parameters, 198.828 KiB.",
      ].join("\n"),
    );
  });

  test("a wrapped single layer has no Total line, and the closing line keeps Flux's trailing space", () => {
    expect(bigShow(Dense(2, 2), { pre: "Duplicated(", post: "  # norm(∇) ≈ 0.0\n) " })).toBe(
      ["Duplicated(", "  Dense(2 => 2),                        # 6 parameters", "  # norm(∇) ≈ 0.0", ") "].join("\n"),
    );
  });

  test("the one-line form inside other values (Flux's 2-argument show)", () => {
    expect(compactString(seedModel())).toBe("Chain(Dense(784 => 32, σ), Dense(32 => 10), softmax)");
    expect(inspect([seedModel()])).toBe("[ Chain(Dense(784 => 32, σ), Dense(32 => 10), softmax) ]");
  });

  test("console.log / util.inspect print the multi-line form at top level, grey comments with colors", () => {
    const model = seedModel();
    expect(inspect(model)).toBe(String(model));
    const coloured = inspect(model, { colors: true });
    expect(coloured).toContain("\u001b[90m# 330 parameters\u001b[39m");
    expect(coloured.replace(/\u001b\[\d+m/g, "")).toBe(String(model));
  });
});

describe("nested models", () => {
  test("Chain in Chain, Parallel, SkipConnection, LayerNorm and Dropout", () => {
    const model = Chain(
      Chain(Dense(2, 3, relu), LayerNorm(3)),
      Parallel(vcat, Dense(3, 2), Dense(3, 1)),
      SkipConnection(Dense(3, 3), add),
      Dropout(0.5),
    );
    expect(String(model)).toBe(
      [
        "Chain(",
        "  Chain(",
        "    Dense(2 => 3, relu),                # 9 parameters",
        "    LayerNorm(3),                       # 6 parameters",
        "  ),",
        "  Parallel(",
        "    vcat,",
        "    Dense(3 => 2),                      # 8 parameters",
        "    Dense(3 => 1),                      # 4 parameters",
        "  ),",
        "  SkipConnection(",
        "    Dense(3 => 3),                      # 12 parameters",
        "    +,",
        "  ),",
        "  Dropout(0.5),",
        ")                   # Total: 10 arrays, 39 parameters, 156 bytes.",
      ].join("\n"),
    );
    expect(compactString(model)).toBe(
      "Chain(Chain(Dense(2 => 3, relu), LayerNorm(3)), Parallel(vcat, Dense(3 => 2), Dense(3 => 1)), SkipConnection(Dense(3 => 3), +), Dropout(0.5))",
    );
  });

  test("named Chain and named Parallel print `name = ` (as Flux's docstring example for Parallel)", () => {
    expect(String(Chain({ enc: Dense(2, 3), dec: Chain(Dense(3, 1), relu) }))).toBe(
      [
        "Chain(",
        "  enc = Dense(2 => 3),                  # 9 parameters",
        "  dec = Chain(",
        "    Dense(3 => 1),                      # 4 parameters",
        "    relu,",
        "  ),",
        ")                   # Total: 4 arrays, 13 parameters, 52 bytes.",
      ].join("\n"),
    );
    const parallel = Parallel(add, { α: Dense(10, 2, tanh), β: Dense(5, 2) });
    expect(String(parallel)).toBe(
      [
        "Parallel(",
        "  +,",
        "  α = Dense(10 => 2, tanh),             # 22 parameters",
        "  β = Dense(5 => 2),                    # 12 parameters",
        ")                   # Total: 4 arrays, 34 parameters, 136 bytes.",
      ].join("\n"),
    );
    expect(compactString(parallel)).toBe("Parallel(+, α = Dense(10 => 2, tanh), β = Dense(5 => 2))");
  });
});

describe("layer lines", () => {
  test("a lone top-level layer puts its comment at column 20, with at least 2 spaces", () => {
    expect(String(Dense(2, 3))).toBe("Dense(2 => 3)       # 9 parameters");
    expect(String(Dense(784, 32, sigmoid))).toBe("Dense(784 => 32, σ)  # 25_120 parameters");
    expect(String(LayerNorm(5))).toBe("LayerNorm(5)        # 10 parameters");
    expect(String(Dropout(0.5))).toBe("Dropout(0.5)");
  });

  test("one-line forms of each layer and option", () => {
    expect(compactString(Dense(1, 1, identity, { bias: false }))).toBe("Dense(1 => 1; bias=false)");
    expect(compactString(Dense(2, 3, tanh, { bias: false }))).toBe("Dense(2 => 3, tanh; bias=false)");
    expect(compactString(Dropout(0.1, { dims: 2, active: true }))).toBe("Dropout(0.1, dims=2, active=true)");
    expect(compactString(Dropout(0.2, { dims: [1, 3] }))).toBe("Dropout(0.2, dims=(1, 3))");
    expect(compactString(LayerNorm(3, 4, relu, { affine: false }))).toBe("LayerNorm(3, 4, relu, affine=false)");
    expect(compactString(Scale(2, 3, tanh, { bias: false }))).toBe("Scale(2, 3, tanh; bias=false)");
    expect(compactString(Chain({ a: relu }))).toBe("Chain(a = relu)");
    expect(compactString(Chain((x: Tensor) => x))).toBe("Chain(#anonymous)");
  });

  test("a container whose children are all functions prints on one line; two arrays or fewer give no Total", () => {
    expect(String(Chain(relu, softmax))).toBe("Chain(relu, softmax)");
    expect(String(Chain(Dense(2, 3)))).toBe(["Chain(", "  Dense(2 => 3),                        # 9 parameters", ") "].join("\n"));
  });

  test("all-zero parameters are noted, as Flux's (all zero)", () => {
    const zero = Dense(zerosArray([3, 2], "f32"), false);
    expect(String(zero)).toBe("Dense(2 => 3; bias=false)  # 6 parameters  (all zero)");
    const nan = Dense(f32Array([NaN, 1], [1, 2]), false);
    expect(String(nan)).toBe("Dense(2 => 1; bias=false)  # 2 parameters  (some NaN)");
    const inf = Dense(f32Array([Infinity, 1], [1, 2]), false);
    expect(String(inf)).toBe("Dense(2 => 1; bias=false)  # 2 parameters  (some Inf)");
  });

  test("a shared layer is commented wherever it appears but counted once in the Total", () => {
    const shared = Dense(2, 2);
    expect(String(Chain(shared, relu, shared, Dense(2, 1)))).toBe(
      [
        "Chain(",
        "  Dense(2 => 2),                        # 6 parameters",
        "  relu,",
        "  Dense(2 => 2),                        # 6 parameters",
        "  Dense(2 => 1),                        # 3 parameters",
        ")                   # Total: 4 arrays, 9 parameters, 36 bytes.",
      ].join("\n"),
    );
  });
});

/** A layer with a running statistic that `trainable()` leaves out (as BatchNorm's μ). */
class Tracked extends Layer {
  weight = f32Array([1, 2, 3, 4, 5, 6], [3, 2]);
  running = f32Array([0, 0, 0], [3]);
  trainable() {
    return { weight: this.weight };
  }
  protected run(x: Tensor): Tensor {
    return x;
  }
  override [showCompact]() {
    return "Tracked(2 => 3)";
  }
}

test("non-trainable arrays: `plus k` on the layer line and Flux's two-line Total with summarysize", () => {
  expect(String(Chain(new Tracked(), Dense(3, 2), Dense(2, 1)))).toBe(
    [
      "Chain(",
      "  Tracked(2 => 3),                      # 6 parameters, plus 3",
      "  Dense(3 => 2),                        # 8 parameters",
      "  Dense(2 => 1),                        # 3 parameters",
      ")         # Total: 5 trainable arrays, 17 parameters,",
      "          # plus 1 non-trainable, 3 parameters, summarysize 80 bytes.",
    ].join("\n"),
  );
  expect(String(new Tracked())).toBe("Tracked(2 => 3)     # 6 parameters, plus 3 non-trainable");
});

test("a plain object and an array of layers print as Flux prints a NamedTuple and a Vector", () => {
  expect(bigShow({ encoder: Dense(2, 3), head: [Dense(3, 1), relu] })).toBe(
    [
      "(;",
      "  encoder = Dense(2 => 3),              # 9 parameters",
      "  head = [",
      "    Dense(3 => 1),                      # 4 parameters",
      "    relu,",
      "  ],",
      ")                   # Total: 4 arrays, 13 parameters, 52 bytes.",
    ].join("\n"),
  );
});

test("underscorise groups digits in threes", () => {
  expect([0, 7, 999, 1000, 25_450, 1_234_567].map(underscorise)).toEqual(["0", "7", "999", "1_000", "25_450", "1_234_567"]);
});

test("formatBytes follows Julia's Base.format_bytes, rounding exact ties to even", () => {
  expect(formatBytes(0)).toBe("0 bytes");
  expect(formatBytes(1)).toBe("1 byte");
  expect(formatBytes(240)).toBe("240 bytes");
  expect(formatBytes(1024)).toBe("1024 bytes");
  expect(formatBytes(1025)).toBe("1.001 KiB");
  // 1088 / 1024 = 1.0625 exactly: a tie at the third decimal, Ryu rounds it to even
  expect(formatBytes(1088)).toBe("1.062 KiB");
  expect(formatBytes(1089)).toBe("1.063 KiB");
  expect(formatBytes(101_800)).toBe("99.414 KiB");
  expect(formatBytes(203_600)).toBe("198.828 KiB");
  expect(formatBytes(5 * 1024 ** 3 + 1)).toBe("5.000 GiB");
});

/** A user's layer that relies on the base class for printing. */
class Affine extends Layer {
  shift = f32Array([1, 2, 3], [3]);
  activation = relu;
  protected run(x: Tensor): Tensor {
    return this.activation(add(x, this.shift));
  }
}

test("a user's Layer subclass prints as Julia shows a struct, and applies inside a Chain", () => {
  expect(String(new Affine())).toBe("Affine(3-element Vector{Float32}, relu)  # 3 parameters");
  expect(String(Chain(new Affine(), Dense(3, 1)))).toBe(
    [
      "Chain(",
      "  Affine(3-element Vector{Float32}, relu),  # 3 parameters",
      "  Dense(3 => 1),                        # 4 parameters",
      ")                   # Total: 3 arrays, 7 parameters, 28 bytes.",
    ].join("\n"),
  );
});
