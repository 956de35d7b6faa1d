/** A small MLP (Dense → tanh → Dense) with a hand-written gradient, trained with every rule. */
import { setup, update, type Rule } from "@tsflux/optim";
import type { NdArray } from "@tsflux/graph";
import { CASES } from "./cases";
import { colMajor, rng } from "./helpers";

class Dense {
  constructor(public weight: NdArray, public bias: NdArray, public activation: (x: number) => number) {}
  /** Only the arrays train (as Flux's default); the activation stays out of the optimiser. */
  trainable(): { weight: NdArray; bias: NdArray } {
    return { weight: this.weight, bias: this.bias };
  }
}

class Chain {
  constructor(public layers: Dense[]) {}
}

const IN = 2, HIDDEN = 8, BATCH = 16;

function makeModel(seed: number): Chain {
  const r = rng(seed);
  const init = (n: number, scale: number) => Array.from({ length: n }, () => r() * scale);
  return new Chain([
    new Dense(colMajor(Float32Array, [HIDDEN, IN], init(HIDDEN * IN, 1)), colMajor(Float32Array, [HIDDEN], init(HIDDEN, 0.1)), Math.tanh),
    new Dense(colMajor(Float32Array, [1, HIDDEN], init(HIDDEN, 0.5)), colMajor(Float32Array, [1], [0]), (v) => v),
  ]);
}

const r = rng(99);
const X = Array.from({ length: IN * BATCH }, () => r() * 2);                          // column-major [2, batch]
const Y = Array.from({ length: BATCH }, (_, j) => Math.sin(2 * X[2 * j]!) * X[2 * j + 1]!);

/** The loss ½·mean((ŷ − y)²) and its gradient tree (mirroring the model, null for the activations). */
function lossAndGrad(m: Chain): { loss: number; grads: unknown } {
  const [l1, l2] = m.layers as [Dense, Dense];
  const W1 = l1.weight.data, b1 = l1.bias.data, W2 = l2.weight.data, b2 = l2.bias.data;
  const gW1 = new Float32Array(HIDDEN * IN), gb1 = new Float32Array(HIDDEN), gW2 = new Float32Array(HIDDEN), gb2 = new Float32Array(1);
  let loss = 0;
  for (let j = 0; j < BATCH; j++) {
    const h: number[] = [];
    for (let i = 0; i < HIDDEN; i++) {
      let z = b1[i]!;
      for (let k = 0; k < IN; k++) z += W1[i + HIDDEN * k]! * X[k + IN * j]!;
      h.push(Math.tanh(z));
    }
    let yhat = b2[0]!;
    for (let i = 0; i < HIDDEN; i++) yhat += W2[i]! * h[i]!;
    const e = yhat - Y[j]!;
    loss += (0.5 * e * e) / BATCH;
    const dy = e / BATCH;
    gb2[0]! += dy;
    for (let i = 0; i < HIDDEN; i++) {
      gW2[i]! += dy * h[i]!;
      const dz = dy * W2[i]! * (1 - h[i]! * h[i]!);
      gb1[i]! += dz;
      for (let k = 0; k < IN; k++) gW1[i + HIDDEN * k]! += dz * X[k + IN * j]!;
    }
  }
  const wrap = (a: Float32Array, shape: number[]) => colMajor(Float32Array, shape, Array.from(a));
  return {
    loss,
    grads: { layers: [
      { weight: wrap(gW1, [HIDDEN, IN]), bias: wrap(gb1, [HIDDEN]), activation: null },
      { weight: wrap(gW2, [1, HIDDEN]), bias: wrap(gb2, [1]), activation: null },
    ] },
  };
}

function train(rule: Rule, steps: number): [number, number] {
  const model = makeModel(5);
  const state = setup(rule, model);
  const first = lossAndGrad(model).loss;
  for (let s = 0; s < steps; s++) update(state, model, lossAndGrad(model).grads);
  return [first, lossAndGrad(model).loss];
}

test("the hand-written gradient matches finite differences", () => {
  const model = makeModel(5);
  const { grads } = lossAndGrad(model);
  const w = model.layers[0]!.weight, gw = (grads as { layers: { weight: NdArray }[] }).layers[0]!.weight;
  for (const i of [0, 5, 11]) {
    const old = w.data[i]!, h = 1e-2;
    w.data[i] = old + h;
    const up = lossAndGrad(model).loss;
    w.data[i] = old - h;
    const down = lossAndGrad(model).loss;
    w.data[i] = old;
    expect(gw.data[i]).toBeCloseTo((up - down) / (2 * h), 3);
  }
});

describe.each(CASES.map((c) => [c.label, c] as const))("%s", (_label, rc) => {
  test("training the MLP lowers its loss", () => {
    const rule = rc.train();
    const [first, last] = train(rule, 60);
    expect({ rule: String(rule), lowered: last < 0.9 * first, finite: Number.isFinite(last) })
      .toEqual({ rule: String(rule), lowered: true, finite: true });
  });
});
