// Training one model on the digits, one batch at a time, so the page can interleave steps with drawing:
// `step()` trains on the next batch (Adam, logitcrossentropy) and returns its loss; `accuracy()` scores the
// held-out digits; `predict(pixels)` gives the ten class probabilities of one 28x28 digit.
import { wrapColMajor } from "@tsflux/graph";
import { logitcrossentropy, onecold, softmax } from "@tsflux/layers";
import { setup, Adam } from "@tsflux/optim";
import { Const, Duplicated, gradientGraph, train } from "@tsflux/enzyme-compat";

const PIXELS = 28 * 28, CLASSES = 10;
const loss = (m, x, y) => logitcrossentropy(m.forward(x), y);

export class Trainer {
  constructor(spec, digits, { batchsize = 64 } = {}) {
    this.spec = spec;
    this.digits = digits;
    this.batchsize = batchsize;
    this.model = spec.make();
    this.dup = Duplicated(this.model);
    this.state = setup(Adam(spec.learningRate), this.model);
    this.order = Array.from({ length: digits.train.count }, (_, i) => i);
    this.cursor = this.order.length; // shuffles before the first batch
    this.steps = 0;
  }

  /** Digits `indices` of `set` as the model's input and one-hot targets [10, n]. */
  batch(set, indices) {
    const n = indices.length, x = new Float32Array(n * PIXELS), y = new Float32Array(n * CLASSES);
    indices.forEach((d, j) => {
      x.set(set.pixels.subarray(d * PIXELS, (d + 1) * PIXELS), j * PIXELS);
      y[j * CLASSES + set.labels[d]] = 1;
    });
    return [wrapColMajor(x, this.spec.inputShape(n)), wrapColMajor(y, [CLASSES, n])];
  }

  /** The next batch of training digits, reshuffled at the start of each epoch. */
  nextBatch() {
    if (this.cursor + this.batchsize > this.order.length) {
      for (let i = this.order.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [this.order[i], this.order[j]] = [this.order[j], this.order[i]];
      }
      this.cursor = 0;
    }
    this.cursor += this.batchsize;
    return this.batch(this.digits.train, this.order.slice(this.cursor - this.batchsize, this.cursor));
  }

  /** One Adam step on the next batch; returns the batch's loss. */
  step() {
    const summary = train(loss, this.dup, [this.nextBatch()], this.state);
    this.steps++;
    return summary.meanLoss;
  }

  /**
   * The fraction of the held-out digits the model classifies correctly, scored `slice` digits at a time:
   * a generator that yields between slices (so a page can draw in between) and returns the fraction.
   */
  *accuracySlices(slice = 50) {
    const test = this.digits.test;
    let correct = 0;
    for (let first = 0; first < test.count; first += slice) {
      const indices = Array.from({ length: Math.min(slice, test.count - first) }, (_, i) => first + i);
      const predicted = onecold(this.model.forward(this.batch(test, indices)[0]));
      correct += predicted.filter((p, j) => p === test.labels[indices[j]] + 1).length;
      if (first + slice < test.count) yield;
    }
    return correct / test.count;
  }

  /** The fraction of the held-out digits the model classifies correctly. */
  accuracy() {
    const slices = this.accuracySlices();
    for (;;) {
      const next = slices.next();
      if (next.done) return next.value;
    }
  }

  /** Class probabilities (softmax of the logits) for one digit: 784 pixels in [0, 1], row by row. */
  predict(pixels) {
    const logits = this.model.forward(wrapColMajor(Float32Array.from(pixels), this.spec.inputShape(1)));
    return Array.from(softmax(logits).toNdarray().data);
  }

  /** The graph `gradient` compiles for one training step on a small batch (reverse pass included). */
  gradientGraph(n = 4) {
    const [x, y] = this.batch(this.digits.train, Array.from({ length: n }, (_, i) => i));
    return gradientGraph(loss, Duplicated(this.model), Const(x), Const(y));
  }
}
