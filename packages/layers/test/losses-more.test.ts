/**
 * The focal, Dice, Tversky, hinge, Poisson and siamese losses against plain-JS sums of Flux's formulas,
 * their derivatives against finite differences, and ctcLoss against a brute-force sum over every
 * alignment path.
 */
import { Tensor, toFlatArray, wrapColMajor, type NdArray } from "@tsflux/graph";
import { gradcheck, gradgradcheck, mulberry32, randomArray, seedFrom } from "@tsflux/graph/testing";
import {
  ArgumentError, binaryFocalLoss, ctcLoss, diceCoeffLoss, focalLoss, hingeLoss, poissonLoss, siamesecontrastiveLoss, squaredHingeLoss,
  tverskyLoss,
} from "@tsflux/layers";

const EPS64 = 2 ** -52;
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
const total = (v: number[]) => v.reduce((a, b) => a + b, 0);

type Case = [string, (p: Tensor, y: Tensor) => Tensor, (p: number[], y: number[]) => number, "probability" | "signed" | "positive"];

// ŷ [3, 2] (columns are examples), y of the same size
const CASES: Case[] = [
  ["focalLoss", (p, y) => focalLoss(p, y), (p, y) => mean([0, 1].map((j) => total([0, 1, 2].map((i) => {
    const q = p[i + 3 * j]! + EPS64;
    return -y[i + 3 * j]! * (1 - q) ** 2 * Math.log(q);
  })))), "probability"],
  ["focalLoss γ=3, agg=sum", (p, y) => focalLoss(p, y, { gamma: 3, agg: (t) => t }), () => NaN, "probability"],
  ["binaryFocalLoss", (p, y) => binaryFocalLoss(p, y), (p, y) => mean(p.map((v, i) => {
    const q = v + EPS64, pt = y[i]! * q + (1 - y[i]!) * (1 - q);
    return (1 - pt) ** 2 * -Math.log(pt);
  })), "probability"],
  ["diceCoeffLoss", (p, y) => diceCoeffLoss(p, y), (p, y) => 1 - (2 * total(p.map((v, i) => v * y[i]!)) + 1) / (total(y.map((v) => v * v)) + total(p.map((v) => v * v)) + 1), "probability"],
  ["tverskyLoss", (p, y) => tverskyLoss(p, y), (p, y) => {
    const tp = total(p.map((v, i) => v * y[i]!)), fp = total(p.map((v, i) => (1 - y[i]!) * v)), fn = total(p.map((v, i) => y[i]! * (1 - v)));
    return 1 - (tp + 1) / (tp + 0.7 * fp + 0.3 * fn + 1);
  }, "probability"],
  ["hingeLoss", (p, y) => hingeLoss(p, y), (p, y) => mean(p.map((v, i) => Math.max(0, 1 - v * y[i]!))), "signed"],
  ["squaredHingeLoss", (p, y) => squaredHingeLoss(p, y), (p, y) => mean(p.map((v, i) => Math.max(0, 1 - v * y[i]!) ** 2)), "signed"],
  ["poissonLoss", (p, y) => poissonLoss(p, y), (p, y) => mean(p.map((v, i) => v - (y[i] === 0 ? 0 : y[i]! * Math.log(v)))), "positive"],
  ["siamesecontrastiveLoss margin 1.5", (p, y) => siamesecontrastiveLoss(p, y, { margin: 1.5 }), (p, y) => mean(p.map((v, i) => (1 - y[i]!) * v * v + y[i]! * Math.max(0, 1.5 - v) ** 2)), "probability"],
];

function data(name: string, kind: Case[3]): [NdArray, NdArray] {
  const rng = mulberry32(seedFrom(name));
  const p = randomArray(rng, [3, 2], "f64", kind === "signed" ? "real" : kind === "positive" ? "positive" : "unit");
  if (kind === "probability") p.data.forEach((v, i) => (p.data[i] = 0.05 + 0.9 * Math.abs(v)));
  const labels = kind === "signed" ? [1, -1, -1, 1, 1, -1] : kind === "positive" ? [0, 2, 1, 3, 0, 1] : [1, 0, 0, 0, 1, 1];
  return [p, wrapColMajor(Float64Array.from(labels), [3, 2])];
}

describe.each(CASES)("%s", (name, loss, reference, kind) => {
  const [p, y] = data(name, kind);
  if (!Number.isNaN(reference([0], [0]))) {
    test("matches Flux's formula summed in plain JS", () => {
      expect(Math.abs(Number(loss(Tensor.concrete(p), Tensor.concrete(y))) - reference(toFlatArray(p), toFlatArray(y)))).toBeLessThan(1e-13);
    });
  }
  test("first and second derivatives in ŷ match finite differences", () => {
    gradcheck((q) => loss(q, Tensor.concrete(y)), [p], { what: name });
    gradgradcheck((q) => loss(q, Tensor.concrete(y)), [p], { what: name });
  });
});

test("siamesecontrastiveLoss refuses a negative margin", () => {
  expect(() => siamesecontrastiveLoss(wrapColMajor(new Float64Array(1), [1]), wrapColMajor(new Float64Array(1), [1]), { margin: -1 })).toThrow(ArgumentError);
});

describe("ctcLoss", () => {
  /** -log Σ over all C^T paths that collapse (merge repeats, drop blanks) to y, of Π softmax probabilities. */
  function bruteForce(scores: number[], classes: number, steps: number, y: number[]): number {
    const prob = (c: number, t: number) => {
      const col = scores.slice(t * classes, (t + 1) * classes), m = Math.max(...col);
      return Math.exp(col[c]! - m) / col.reduce((a, v) => a + Math.exp(v - m), 0);
    };
    let likelihood = 0;
    for (let code = 0; code < classes ** steps; code++) {
      const path = Array.from({ length: steps }, (_, t) => Math.floor(code / classes ** t) % classes);
      const collapsed = path.filter((c, t) => t === 0 || c !== path[t - 1]).filter((c) => c !== classes - 1).map((c) => c + 1);
      if (collapsed.length === y.length && collapsed.every((c, i) => c === y[i])) likelihood += path.reduce((a, c, t) => a * prob(c, t), 1);
    }
    return -Math.log(likelihood);
  }

  test.each([[[1, 2]], [[1, 1]], [[2]], [[2, 1, 2]]])("labels %j over 5 steps of 3 classes match the sum over all paths", (y) => {
    const scores = randomArray(mulberry32(seedFrom(`ctc${y}`)), [3, 5], "f64");
    expect(Math.abs(Number(ctcLoss(scores, y)) - bruteForce(toFlatArray(scores), 3, 5, y))).toBeLessThan(1e-12);
  });

  test("its gradient matches finite differences (Float64) and Float32 agrees with Float64", () => {
    const scores = randomArray(mulberry32(3), [3, 4], "f64");
    gradcheck((s) => ctcLoss(s, [1, 1]), [scores], { what: "ctcLoss" });
    const f32 = wrapColMajor(Float32Array.from(toFlatArray(scores)), [3, 4]);
    expect(Math.abs(Number(ctcLoss(f32, [2, 1])) - Number(ctcLoss(scores, [2, 1])))).toBeLessThan(1e-5);
  });

  test("labels must be 1-based non-blank classes", () => {
    const s = randomArray(mulberry32(4), [3, 4], "f64");
    expect(() => ctcLoss(s, [3])).toThrow("ctcLoss: label 3 at position 1 must be an integer in 1:2 (class 3 is the blank)");
    expect(() => ctcLoss(s, [])).toThrow("ctcLoss: the label sequence y is empty");
  });
});
