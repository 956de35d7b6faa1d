/** The bigram baseline: add-one smoothed counts of (previous symbol, next symbol) pairs in the training names. */
import { END, VOCAB, encode } from "./data";
import type { RandomGenerator } from "@tsflux/graph";

export interface Bigram {
  /** p(next | previous) [previous][next], 0-based symbol indices. */
  readonly probabilities: number[][];
}

export function fitBigram(names: readonly string[]): Bigram {
  const counts = Array.from({ length: VOCAB }, () => new Array<number>(VOCAB).fill(1));
  for (const name of names) {
    const symbols = [END, ...encode(name), END];
    for (let t = 1; t < symbols.length; t++) counts[symbols[t - 1]! - 1]![symbols[t]! - 1]! += 1;
  }
  return { probabilities: counts.map((row) => row.map((c) => c / row.reduce((a, b) => a + b, 0))) };
}

/** Mean negative log-likelihood in nats per predicted symbol (letters and the end of each name). */
export function bigramLoss(model: Bigram, names: readonly string[]): number {
  let total = 0, count = 0;
  for (const name of names) {
    const symbols = [END, ...encode(name), END];
    for (let t = 1; t < symbols.length; t++) {
      total -= Math.log(model.probabilities[symbols[t - 1]! - 1]![symbols[t]! - 1]!);
      count++;
    }
  }
  return total / count;
}

/** Draws one name from the bigram model. */
export function sampleBigram(model: Bigram, rng: RandomGenerator, maxLength: number): number[] {
  const out: number[] = [];
  let previous = END;
  while (out.length < maxLength) {
    const next = drawFrom(model.probabilities[previous - 1]!, rng);
    if (next === END) break;
    out.push(next);
    previous = next;
  }
  return out;
}

/** A 1-based index drawn from probabilities. */
export function drawFrom(probabilities: readonly number[], rng: RandomGenerator): number {
  let u = rng.next();
  for (let i = 0; i < probabilities.length; i++) {
    u -= probabilities[i]!;
    if (u < 0) return i + 1;
  }
  return probabilities.length;
}
