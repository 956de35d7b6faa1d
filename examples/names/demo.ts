/**
 * `npm run demo:names`: a character-level language model of English first names in the style of
 * makemore. A bigram baseline, an LSTM and a small causal transformer are fitted on 90% of the names;
 * each reports its held-out loss in nats per symbol (a uniform guess is ln 28 ≈ 3.33); the best
 * model samples 20 new names; the training curves go to loss.svg. Sizes are options so tests run small.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { RandomGenerator } from "@tsflux/graph";
import { lossChartSvg, type History } from "@tsflux/cli";
import { VOCAB, batches, decode, loadNames, split } from "./data";
import { bigramLoss, fitBigram, sampleBigram } from "./bigram";
import { CharTransformer, lstmModel } from "./models";
import { fitModel, sampleModel, type TrainRun } from "./train";

export interface NamesOptions {
  /** Use only the first n names (default: all). */
  readonly names?: number;
  readonly epochs?: number;
  readonly batchSize?: number;
  readonly lstm?: { embed: number; hidden: number };
  readonly transformer?: { dim: number; nheads: number; depth: number };
  /** Where loss.svg goes (default "out"). */
  readonly outDir?: string;
  readonly samples?: number;
  readonly log?: (line: string) => void;
}

export interface NamesResult {
  readonly names: number;
  readonly bigram: number;
  readonly lstm: TrainRun;
  readonly transformer: TrainRun;
  readonly samples: string[];
  readonly chart: string;
}

/** Two training charts, one above the other, in one SVG. */
function stackedCharts(charts: readonly { title: string; history: History }[]): string {
  const svgs = charts.map(({ title, history }) => lossChartSvg(history, { title }));
  const heights = svgs.map((s) => Number(/height="(\d+)"/.exec(s)![1]));
  let y = 0;
  const inner = svgs.map((s, i) => {
    const placed = s.replace("<svg ", `<svg y="${y}" `);
    y += heights[i]!;
    return placed;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="760" height="${y}" viewBox="0 0 760 ${y}">\n${inner.join("")}</svg>\n`;
}

export function namesDemo(opts: NamesOptions = {}): NamesResult {
  const log = opts.log ?? ((line: string) => process.stdout.write(`${line}\n`));
  const rng = new RandomGenerator(2024);
  const all = loadNames().slice(0, opts.names);
  const { train, test } = split(all, 0.1, rng);
  const len = Math.max(...all.map((n) => n.length)) + 1;
  const batchSize = opts.batchSize ?? 128;
  const trainBatches = batches(train, batchSize, len), testBatches = batches(test, 128, len);
  log(`${all.length} names, ${VOCAB} symbols with the end token (uniform: ln ${VOCAB} = ${Math.log(VOCAB).toFixed(2)} nats); ${train.length} for training, ${test.length} held out`);

  const bigram = fitBigram(train);
  const bigramHeldOut = bigramLoss(bigram, test);
  log(`bigram baseline: held-out ${bigramHeldOut.toFixed(4)} nats/char`);

  const epochs = opts.epochs ?? 3;
  const lstmSize = opts.lstm ?? { embed: 32, hidden: 128 };
  log(`LSTM (embedding ${lstmSize.embed}, hidden ${lstmSize.hidden}), ${epochs} epochs:`);
  const lstm = lstmModel(lstmSize.embed, lstmSize.hidden);
  const lstmRun = fitModel(lstm, trainBatches, testBatches, { epochs, lr: 0.005, rng, log });

  const tSize = opts.transformer ?? { dim: 64, nheads: 4, depth: 2 };
  log(`transformer (dim ${tSize.dim}, ${tSize.nheads} heads, ${tSize.depth} blocks), ${epochs} epochs:`);
  const transformer = new CharTransformer(tSize.dim, tSize.nheads, tSize.depth, len);
  const transformerRun = fitModel(transformer, trainBatches, testBatches, { epochs, lr: 0.002, rng, log });

  log("");
  log(`held-out loss (nats/char): bigram ${bigramHeldOut.toFixed(4)}, LSTM ${lstmRun.testLoss.toFixed(4)} (${(bigramHeldOut - lstmRun.testLoss).toFixed(3)} below), transformer ${transformerRun.testLoss.toFixed(4)} (${(bigramHeldOut - transformerRun.testLoss).toFixed(3)} below)`);
  const best = lstmRun.testLoss <= transformerRun.testLoss ? { name: "LSTM", model: lstm } : { name: "transformer", model: transformer };
  const samples = Array.from({ length: opts.samples ?? 20 }, () => decode(sampleModel(best.model, rng, len)));
  log(`20 names sampled from the ${best.name}: ${samples.join(", ")}`);
  log(`(for comparison, the bigram: ${Array.from({ length: 5 }, () => decode(sampleBigram(bigram, rng, len))).join(", ")})`);

  const outDir = opts.outDir ?? "out";
  mkdirSync(outDir, { recursive: true });
  const chart = join(outDir, "loss.svg");
  writeFileSync(chart, stackedCharts([
    { title: `LSTM: held-out ${lstmRun.testLoss.toFixed(3)} nats/char (bigram ${bigramHeldOut.toFixed(3)})`, history: lstmRun.history },
    { title: `transformer: held-out ${transformerRun.testLoss.toFixed(3)} nats/char (bigram ${bigramHeldOut.toFixed(3)})`, history: transformerRun.history },
  ]));
  log(`training curves: ${chart}; LSTM ${lstmRun.seconds.toFixed(1)} s, transformer ${transformerRun.seconds.toFixed(1)} s`);
  return { names: all.length, bigram: bigramHeldOut, lstm: lstmRun, transformer: transformerRun, samples, chart };
}
