/**
 * The names demo at reduced size: 300 names, three epochs of tiny models. It must report all three
 * held-out losses below a uniform guess, sample 20 names from the vocabulary and write loss.svg. The
 * data and the masked loss are checked against independent counts and sums.
 */
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Tensor, toFlatArray } from "@tsflux/graph";
import { Dense, Embedding, Chain } from "@tsflux/layers";
import { namesDemo, type NamesResult } from "../names/demo";
import { SYMBOLS, VOCAB, batches, loadNames } from "../names/data";
import { tokenLoss } from "../names/train";

const outDir = mkdtempSync(join(tmpdir(), "tsflux-names-"));
const lines: string[] = [];
let result: NamesResult;

beforeAll(() => {
  result = namesDemo({
    names: 300, epochs: 3, batchSize: 90, lstm: { embed: 8, hidden: 16 }, transformer: { dim: 16, nheads: 2, depth: 1 }, outDir, log: (l: string) => lines.push(l),
  });
});

test("the data: 8,849 names over 28 symbols with the end token", () => {
  const names = loadNames();
  expect(names.length).toBe(8849);
  expect(VOCAB).toBe(28);
  expect(new Set(names.join("")).size + 1).toBe(28);
});

test("reports the bigram, LSTM and transformer held-out losses, each below a uniform guess", () => {
  for (const loss of [result.bigram, result.lstm.testLoss, result.transformer.testLoss]) {
    expect(loss).toBeGreaterThan(0);
    expect(loss).toBeLessThan(Math.log(28));
  }
  expect(lines.some((l) => l.startsWith(`held-out loss (nats/char): bigram ${result.bigram.toFixed(4)}, LSTM ${result.lstm.testLoss.toFixed(4)}`))).toBe(true);
});

test("samples 20 names from the vocabulary and writes loss.svg", () => {
  expect(result.samples).toHaveLength(20);
  for (const name of result.samples) expect([...name].every((c) => SYMBOLS.slice(0, 27).includes(c))).toBe(true);
  expect(existsSync(result.chart)).toBe(true);
  expect(readFileSync(result.chart, "utf8")).toContain("LSTM: held-out");
});

test("the masked loss is the mean -log softmax of the real targets only, summed in plain JS", () => {
  const [batch] = batches(["ab", "c"], 2, 4);
  const model = Chain(Embedding(VOCAB, 3), Dense(3, VOCAB));
  const logits = toFlatArray(model.forward(batch!.x).toNdarray());
  // targets: "ab." for the first name, "c." for the second (positions after the end are padding)
  const targets = [[1, 2, 28], [3, 28]];
  let total = 0, count = 0;
  targets.forEach((symbols, b) => symbols.forEach((s, t) => {
    const column = logits.slice(VOCAB * (t + 4 * b), VOCAB * (t + 4 * b + 1));
    const m = Math.max(...column);
    total -= column[s - 1]! - m - Math.log(column.reduce((a, v) => a + Math.exp(v - m), 0));
    count++;
  }));
  expect(batch!.count).toBe(5);
  expect(Math.abs(Number(tokenLoss(model, Tensor.concrete(batch!.x), Tensor.concrete(batch!.y))) - total / count)).toBeLessThan(1e-5);
});
