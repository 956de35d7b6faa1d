/**
 * Embedding, Bilinear, Maxout and PairwiseFusion against plain-loop references, and their errors;
 * sequence models saved to safetensors and loaded back.
 */
import { Tensor, add, toFlatArray, wrapColMajor } from "@tsflux/graph";
import { expectClose, gradcheck, mulberry32, randomArray } from "@tsflux/graph/testing";
import {
  Bilinear, Chain, Dense, Embedding, LSTM, MODEL_METADATA, Maxout, MultiHeadAttention, PairwiseFusion, decodeSafetensors, loadmodel, loadstate,
  onehotbatch, savestate, tanh,
} from "@tsflux/layers";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { floatLeaves, randomizeParams, withParams } from "./params";

const ints = (values: number[], shape: number[]) => wrapColMajor(Int32Array.from(values), shape);

describe("Embedding(5 => 3)", () => {
  const emb = randomizeParams(Embedding(5, 3), mulberry32(1));
  const w = toFlatArray(emb.weight as never);

  test("an index matrix [2, 3] gives [3, 2, 3] with column k = weight[:, idx[k]]", () => {
    const idx = [5, 1, 2, 2, 4, 5];
    const y = emb.forward(ints(idx, [2, 3]));
    expect([...y.shape]).toEqual([3, 2, 3]);
    expectClose(y, idx.flatMap((i) => w.slice((i - 1) * 3, i * 3)), { rtol: 0, atol: 0, what: "Embedding gather" });
  });

  test("a one-hot matrix gives the same columns; a single index gives one column", () => {
    const y = emb.forward(onehotbatch([3, 1], [1, 2, 3, 4, 5]));
    expect([...y.shape]).toEqual([3, 2]);
    expectClose(y, [...w.slice(6, 9), ...w.slice(0, 3)], { rtol: 1e-6, atol: 1e-7, what: "one-hot" });
    expectClose(emb.forward(4), w.slice(9, 12), { rtol: 0, atol: 0, what: "emb(4)" });
  });

  test("the weight's gradient accumulates repeated indices (scatter-add) and matches finite differences", () => {
    const idx = ints([2, 2, 5], [3]);
    gradcheck((wt: Tensor) => withParams(emb, [wt]).forward(idx), [emb.weight as never], { what: "Embedding" });
  });

  test("out-of-range indices and wrong one-hot sizes are errors naming the layer", () => {
    expect(() => emb.forward(ints([6], [1]))).toThrow("Embedding(5 => 3): gather: index 6 at position 1 is out of bounds for 5 columns (indices are 1-based)");
    expect(() => emb.forward(0)).toThrow("Embedding(5 => 3): index 0 is out of bounds for a vocabulary of 5 (indices are 1-based)");
    expect(() => emb.forward(onehotbatch([1], [1, 2, 3]))).toThrow("Embedding(5 => 3): expected a one-hot array of size [5, ...], got x of size [3, 1]");
  });
});

test("Bilinear((2, 3) => 2, tanh): z[k, n] = tanh(Σ W[k, i, j] x[i, n] y[j, n] + b[k])", () => {
  const bl = randomizeParams(Bilinear(2, 3, 2, tanh), mulberry32(2));
  const [W, b] = floatLeaves(bl).map((a) => toFlatArray(a)) as [number[], number[]];
  const x = randomArray(mulberry32(3), [2, 4], "f64"), y = randomArray(mulberry32(4), [3, 4], "f64");
  const xs = toFlatArray(x), ys = toFlatArray(y);
  const expected = Array.from({ length: 8 }, (_, p) => {
    const [k, n] = [p % 2, Math.floor(p / 2)];
    let s = b[k]!;
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) s += W[k + 2 * i + 4 * j]! * xs[i + 2 * n]! * ys[j + 3 * n]!;
    return Math.tanh(s);
  });
  expectClose(bl.forward(x, y), expected, { rtol: 1e-12, atol: 1e-12, what: "Bilinear" });
  expect([...bl.forward(wrapColMajor(Float64Array.from(xs.slice(0, 2)), [2]), wrapColMajor(Float64Array.from(ys.slice(0, 3)), [3])).shape]).toEqual([2]);
  expect(() => bl.forward(x, x)).toThrow("Bilinear((2, 3) => 2, tanh): expected x of size [2, batch] and y of size [3, batch], got [2, 4] and [2, 4]");
});

test("Maxout: the elementwise maximum of its layers' outputs", () => {
  const m = randomizeParams(Maxout(() => Dense(3, 2), 3), mulberry32(5));
  const x = randomArray(mulberry32(6), [3, 4], "f64");
  const outs = m.layers.map((l) => toFlatArray((l as Dense).forward(x).toNdarray()));
  expectClose(m.forward(x), outs[0]!.map((_, i) => Math.max(outs[0]![i]!, outs[1]![i]!, outs[2]![i]!)), { rtol: 0, atol: 0, what: "Maxout" });
});

test("PairwiseFusion: y₁ = L₁(x₁), yᵢ = Lᵢ(connection(yᵢ₋₁, xᵢ)), one input or one per layer", () => {
  const pf = randomizeParams(PairwiseFusion(add, Dense(2, 2), Dense(2, 2)), mulberry32(7));
  const [l1, l2] = pf.layers as [Dense, Dense];
  const x1 = randomArray(mulberry32(8), [2, 3], "f64"), x2 = randomArray(mulberry32(9), [2, 3], "f64");
  const [y1, y2] = pf.forward(x1, x2);
  const r1 = l1.forward(x1);
  expectClose(y1!, r1, { rtol: 0, atol: 0, what: "y1" });
  expectClose(y2!, l2.forward(add(r1, x2)), { rtol: 0, atol: 0, what: "y2" });
  expectClose(pf.forward(x1)[1]!, l2.forward(add(r1, x1)), { rtol: 0, atol: 0, what: "one input" });
  expect(() => pf.forward(x1, x2, x1)).toThrow("PairwiseFusion with 2 sub-layers can take one input or 2 inputs, but got 3 inputs");
});

test("a language model and an attention layer save to safetensors and load into fresh models with equal outputs", () => {
  const dir = mkdtempSync(join(tmpdir(), "tsflux-seq-"));
  const lm = Chain(Embedding(6, 3), LSTM(3, 4), Dense(4, 6));
  const x = ints([1, 6, 2, 3, 3, 5], [3, 2]);
  savestate(join(dir, "lm.safetensors"), lm);
  const fresh = loadmodel(Chain(Embedding(6, 3), LSTM(3, 4), Dense(4, 6)), loadstate(join(dir, "lm.safetensors")));
  expectClose(fresh.forward(x), lm.forward(x), { rtol: 0, atol: 0, what: "reloaded LSTM model" });
  const mha = MultiHeadAttention(4, { nheads: 2, bias: true });
  savestate(join(dir, "mha.safetensors"), mha);
  const h = randomArray(mulberry32(12), [4, 3, 1], "f32");
  const again = loadmodel(MultiHeadAttention(4, { nheads: 2, bias: true }), loadstate(join(dir, "mha.safetensors")));
  expectClose(again.forward(h)[0], mha.forward(h)[0], { rtol: 0, atol: 0, what: "reloaded attention" });
  expect(decodeSafetensors(readFileSync(join(dir, "mha.safetensors"))).metadata[MODEL_METADATA]).toBe(String(mha));
});
