/**
 * Training and evaluating a character model: the masked next-symbol loss (nats per predicted symbol),
 * epochs of Adam steps through Flux's `train`, the held-out loss after each epoch, and sampling.
 */
import { div, logsoftmax, mul, neg, setWasmHeap, sum, Tensor, toFlatArray, wrapColMajor, type RandomGenerator } from "@tsflux/graph";
import type { Layer } from "@tsflux/layers";
import { Adam, setup } from "@tsflux/optim";
import { Const, Duplicated, train } from "@tsflux/enzyme-compat";
import type { EpochRecord, History, StepRecord } from "@tsflux/cli";
import { END, shuffled, type Batch } from "./data";
import { drawFrom } from "./bigram";

/** -Σ y log softmax(logits) / Σ y: the mean negative log-likelihood of the real (non-padding) targets. */
export function tokenLoss(model: Layer, x: Tensor, y: Tensor): Tensor {
  return div(neg(sum(mul(y, logsoftmax(model.forward(x), { dims: 1 })))), sum(y));
}

/**
 * Nats per predicted symbol over all `batches` (weighted by their symbol counts), run eagerly. Its
 * temporaries go to the JS heap, whose garbage collector sees their size (the WebAssembly heap's blocks
 * are freed only when the collector happens to run).
 */
export function heldOutLoss(model: Layer, batches: readonly Batch[]): number {
  let total = 0, count = 0;
  const wasm = setWasmHeap(false);
  try {
    for (const b of batches) {
      total += Number(tokenLoss(model, Tensor.concrete(b.x), Tensor.concrete(b.y))) * b.count;
      count += b.count;
    }
  } finally {
    setWasmHeap(wasm);
  }
  return total / count;
}

export interface TrainRun {
  readonly history: History;
  readonly testLoss: number;
  readonly seconds: number;
}

/** `epochs` passes of Adam(lr) over `trainBatches` (reshuffled each epoch), with the held-out loss after each. */
export function fitModel(model: Layer, trainBatches: readonly Batch[], testBatches: readonly Batch[], opts: { epochs: number; lr: number; rng: RandomGenerator; log: (line: string) => void }): TrainRun {
  const started = performance.now();
  const dup = Duplicated(model);
  const state = setup(Adam(opts.lr), model);
  const steps: StepRecord[] = [], epochs: EpochRecord[] = [];
  for (let epoch = 1; epoch <= opts.epochs; epoch++) {
    const t0 = performance.now();
    const order = shuffled(trainBatches, opts.rng);
    const { meanLoss } = train(tokenLoss, dup, order.map((b) => [Const(b.x), Const(b.y)]), state, {
      onStep: ({ step, loss }) => steps.push({ epoch: epoch - 1 + step / order.length, loss }),
    });
    const seconds = (performance.now() - t0) / 1000;
    const testLoss = heldOutLoss(model, testBatches);
    epochs.push({ epoch, loss: meanLoss, testLoss, seconds });
    opts.log(`  epoch ${epoch}/${opts.epochs}: training loss ${meanLoss.toFixed(4)}, held-out ${testLoss.toFixed(4)} nats/char (${seconds.toFixed(1)} s)`);
  }
  return { history: { steps, epochs }, testLoss: epochs.at(-1)!.testLoss!, seconds: (performance.now() - started) / 1000 };
}

/** Draws a name symbol by symbol from the model's softmax at the last position of the prefix. */
export function sampleModel(model: Layer, rng: RandomGenerator, maxLength: number): number[] {
  const out: number[] = [];
  while (out.length < maxLength) {
    const prefix = [END, ...out];
    const x = wrapColMajor(Int32Array.from(prefix), [prefix.length, 1]);
    const logits = toFlatArray(model.forward(x).toNdarray());
    const last = logits.slice(logits.length - (logits.length / prefix.length));
    const m = Math.max(...last);
    const e = last.map((v) => Math.exp(v - m));
    const z = e.reduce((a, b) => a + b, 0);
    const next = drawFrom(e.map((v) => v / z), rng);
    if (next === END) break;
    out.push(next);
  }
  return out;
}
