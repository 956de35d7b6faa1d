/**
 * MultiHeadAttention against a naive reference written here with plain loops (projections, per-head
 * scaled dot products, softmax over keys, weighted values, output projection): outputs and scores,
 * with and without a causal mask (masked positions get exactly zero weight), and its errors.
 */
import { Tensor, makeCausalMask, toFlatArray, type NdArray } from "@tsflux/graph";
import { expectClose, gradcheck, mulberry32, randomArray, seedFrom } from "@tsflux/graph/testing";
import { MultiHeadAttention, ArgumentError } from "@tsflux/layers";
import { floatLeaves, randomizeParams, withParams } from "./params";

/** y = W x for column-major W [rows, cols] and x [cols, n]. */
function project(w: number[], rows: number, x: number[], cols: number): number[] {
  const n = x.length / cols;
  return Array.from({ length: rows * n }, (_, p) => {
    const [r, j] = [p % rows, Math.floor(p / rows)];
    let s = 0;
    for (let c = 0; c < cols; c++) s += w[r + c * rows]! * x[c + j * cols]!;
    return s;
  });
}

interface Sizes { qIn: number; kIn: number; vIn: number; qk: number; v: number; out: number }
const square = (d: number): Sizes => ({ qIn: d, kIn: d, vIn: d, qk: d, v: d, out: d });

/** NNlib's dot_product_attention with Flux's projections, one head and batch column at a time. */
function attentionRef(ws: number[][], q: number[], k: number[], v: number[], dims: number | Sizes, nheads: number, qlen: number, klen: number, batch: number, keep?: (i: number, j: number) => boolean) {
  const [wq, wk, wv, wo] = ws as [number[], number[], number[], number[]];
  const z = typeof dims === "number" ? square(dims) : dims;
  const qp = project(wq, z.qk, q, z.qIn), kp = project(wk, z.qk, k, z.kIn), vp = project(wv, z.v, v, z.vIn);
  const dh = z.qk / nheads, dv = z.v / nheads;
  const scores = new Array<number>(klen * qlen * nheads * batch).fill(0);
  const joined = new Array<number>(z.v * qlen * batch).fill(0);
  for (let b = 0; b < batch; b++) for (let h = 0; h < nheads; h++) for (let qi = 0; qi < qlen; qi++) {
    const logits = Array.from({ length: klen }, (_, kj) => {
      let s = 0;
      for (let d = 0; d < dh; d++) s += kp[h * dh + d + z.qk * (kj + klen * b)]! * (qp[h * dh + d + z.qk * (qi + qlen * b)]! / Math.sqrt(dh));
      return keep && !keep(kj, qi) ? -Infinity : s;
    });
    const m = Math.max(...logits);
    const e = logits.map((l) => Math.exp(l - m));
    const total = e.reduce((a, x) => a + x, 0);
    e.forEach((x, kj) => (scores[kj + klen * (qi + qlen * (h + nheads * b))] = x / total));
    for (let d = 0; d < dv; d++) {
      let s = 0;
      for (let kj = 0; kj < klen; kj++) s += (e[kj]! / total) * vp[h * dv + d + z.v * (kj + klen * b)]!;
      joined[h * dv + d + z.v * (qi + qlen * b)] = s;
    }
  }
  return { y: project(wo, z.out, joined, z.v), scores };
}

const TIGHT = { rtol: 1e-12, atol: 1e-13 };

describe("MultiHeadAttention(8; nheads=2)", () => {
  const rng = mulberry32(seedFrom("attention"));
  const mha = randomizeParams(MultiHeadAttention(8, { nheads: 2 }), rng);
  const ws = floatLeaves(mha).map((a) => toFlatArray(a));
  const q = randomArray(rng, [8, 3, 2], "f64", "unit"), kv = randomArray(rng, [8, 4, 2], "f64", "unit"), v = randomArray(rng, [8, 4, 2], "f64", "unit");
  const flat = (x: NdArray) => toFlatArray(x);

  test("cross-attention: y [dim, qlen, batch] and scores [klen, qlen, nheads, batch] match the reference", () => {
    const [y, scores] = mha.forward(q, kv, v);
    expect([...y.shape, ...scores.shape]).toEqual([8, 3, 2, 4, 3, 2, 2]);
    const ref = attentionRef(ws, flat(q), flat(kv), flat(v), 8, 2, 3, 4, 2);
    expectClose(y, ref.y, { ...TIGHT, what: "y" });
    expectClose(scores, ref.scores, { ...TIGHT, what: "scores" });
  });

  test("forward(q, kv) uses kv as values, forward(x) is self-attention", () => {
    expectClose(mha.forward(q, kv)[0], attentionRef(ws, flat(q), flat(kv), flat(kv), 8, 2, 3, 4, 2).y, { ...TIGHT, what: "forward(q, kv)" });
    expectClose(mha.forward(q)[0], attentionRef(ws, flat(q), flat(q), flat(q), 8, 2, 3, 3, 2).y, { ...TIGHT, what: "forward(x)" });
  });

  test("a causal mask gives masked positions exactly zero weight and matches the masked reference", () => {
    const [y, scores] = mha.forward(q, { mask: makeCausalMask(3) });
    const ref = attentionRef(ws, flat(q), flat(q), flat(q), 8, 2, 3, 3, 2, (i, j) => i <= j);
    expectClose(y, ref.y, { ...TIGHT, what: "masked y" });
    const s = toFlatArray(scores.toNdarray());
    for (let p = 0; p < s.length; p++) {
      const [i, j] = [p % 3, Math.floor(p / 3) % 3];
      if (i > j) expect(s[p]).toBe(0);
      else expect(Math.abs(s[p]! - ref.scores[p]!)).toBeLessThan(1e-12);
    }
  });

  test("2-d inputs are one batch: y [dim, qlen], scores [klen, qlen, nheads]", () => {
    const q1 = { ...q, shape: [8, 3], data: Float64Array.from(flat(q).slice(0, 24)), stride: [1, 8], offset: 0 } as NdArray;
    const [y, scores] = mha.forward(q1);
    expect([...y.shape, ...scores.shape]).toEqual([8, 3, 3, 3, 2]);
    expectClose(y, attentionRef(ws, flat(q1), flat(q1), flat(q1), 8, 2, 3, 3, 1).y, { ...TIGHT, what: "2-d y" });
  });

  test("gradients of y with a causal mask, wrt every projection and the queries, match finite differences", () => {
    const small = randomizeParams(MultiHeadAttention(4, { nheads: 2, bias: true }), mulberry32(5));
    const ps = floatLeaves(small);
    const x = randomArray(mulberry32(6), [4, 3, 2], "f64", "unit");
    const f = (...args: Tensor[]) => withParams(small, args.slice(0, ps.length)).forward(args[ps.length]!, { mask: makeCausalMask(3) })[0];
    gradcheck(f, [...ps, x], { what: "MultiHeadAttention with a causal mask" });
  });

  test("(q_in, k_in, v_in) => (qk, v) => out sizes: outputs and scores match the reference", () => {
    const sizes = { qIn: 3, kIn: 5, vIn: 4, qk: 6, v: 4, out: 2 };
    const m = randomizeParams(MultiHeadAttention({ in: [3, 5, 4], qk: 6, v: 4, out: 2 }, { nheads: 2 }), mulberry32(8));
    const qs = randomArray(mulberry32(9), [3, 2, 2], "f64"), ks = randomArray(mulberry32(10), [5, 3, 2], "f64"), vs = randomArray(mulberry32(11), [4, 3, 2], "f64");
    const [y, scores] = m.forward(qs, ks, vs);
    const ref = attentionRef(floatLeaves(m).map((a) => toFlatArray(a)), flat(qs), flat(ks), flat(vs), sizes, 2, 2, 3, 2);
    expectClose(y, ref.y, { ...TIGHT, what: "y" });
    expectClose(scores, ref.scores, { ...TIGHT, what: "scores" });
    expect(String(m)).toBe("MultiHeadAttention((3, 5, 4) => (6, 4) => 2; nheads=2)  # 72 parameters");
    expect(String(MultiHeadAttention({ in: 4, qk: 8, out: 4 }, { nheads: 2 }))).toBe("MultiHeadAttention(4 => 8 => 4; nheads=2)  # 128 parameters");
    expect(String(MultiHeadAttention({ in: 4, qk: 8, v: 6, out: 4 }, { nheads: 2 }))).toBe("MultiHeadAttention(4 => (8, 6) => 4; nheads=2)  # 112 parameters");
  });

  test("errors name the layer and the sizes", () => {
    expect(() => MultiHeadAttention(6, { nheads: 4 })).toThrow(new ArgumentError("MultiHeadAttention: the dimension 6 must be divisible by nheads = 4"));
    expect(() => mha.forward(q, randomArray(rng, [8, 4, 3], "f64"))).toThrow("MultiHeadAttention(8; nheads=2): keys and values must have the same length and all three the same batch size, got q [8, 3, 2], k [8, 4, 3], v [8, 4, 3]");
  });
});
