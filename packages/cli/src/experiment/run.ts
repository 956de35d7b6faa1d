/**
 * Running an experiment from start to end, as `tsflux train` and the MNIST demo do: seed and build
 * it, train with a progress bar per epoch, then save the model (safetensors), plot the curves
 * (`loss.svg`) and draw the gradient graph a training step runs (`graph.svg`), and say where they are.
 */
import { join } from "node:path";
import { checkWritable, savestate, writeFileAtomic, type Layer } from "@tsflux/layers";
import { fit, type History } from "./fit";
import { resolveExperiment, type ExperimentOverrides } from "./resolve";
import type { Experiment, ExperimentData } from "./types";
import { EpochProgress, type Output } from "../report/progress";
import { lossChartSvg } from "../report/loss-chart";
import { graphSvg, statsLine } from "../report/graph-output";
import { experimentGraphScript, scriptGraph } from "../graph-script";

/** Options of `runExperiment`: where the files go, progress output, and overrides of the experiment. */
export interface RunOptions extends ExperimentOverrides {
  /**
   * The folder for model.safetensors, loss.svg and graph.svg (default "out"; created if missing). It is
   * checked before training starts: a folder that cannot be made or written is a FileWriteError.
   */
  readonly outDir?: string;
  /** Where the report goes (default process.stdout). */
  readonly output?: Output;
  /** Progress bars (default: when the output is a terminal); otherwise one line per epoch. */
  readonly progress?: boolean;
}

/** What `runExperiment` returns: the trained model, its data and history, the test accuracy, the training time and the files written. */
export interface RunResult {
  readonly name: string;
  /** The trained model. */
  readonly model: Layer;
  /** The data it was trained and tested on. */
  readonly data: ExperimentData;
  readonly history: History;
  /** Accuracy on the held-out test split after the last epoch (classification with a test split only). */
  readonly testAccuracy: number | undefined;
  /** Seconds spent in the training steps (the epochs' sum, without evaluation and files). */
  readonly trainSeconds: number;
  readonly files: { readonly model: string; readonly lossChart: string; readonly graph: string };
}

const observations = (a: { shape: readonly number[] }) => a.shape[a.shape.length - 1]!;

/** Trains `experiment` and writes its files; the report goes to `opts.output`. */
export async function runExperiment(experiment: Experiment, opts: RunOptions = {}): Promise<RunResult> {
  const out = opts.output ?? process.stdout;
  const outDir = opts.outDir ?? "out";
  const files = { model: join(outDir, "model.safetensors"), lossChart: join(outDir, "loss.svg"), graph: join(outDir, "graph.svg") };
  checkWritable(Object.values(files));
  const e = resolveExperiment(experiment, opts);
  const nTrain = observations(e.data.train.x), nTest = e.data.test ? observations(e.data.test.x) : 0;
  out.write(
    `${e.name}: ${nTrain} training examples${nTest > 0 ? `, ${nTest} held out for testing` : ""}; ` +
      `${e.epochs} epoch${e.epochs === 1 ? "" : "s"} of ${Math.ceil(nTrain / e.batchsize)} steps (batch ${e.batchsize}), seed ${e.seed}\n` +
      `optimiser: ${String(e.optimiser)}\n${String(e.model)}\n\n`,
  );
  const progress = new EpochProgress(out, e.epochs, opts.progress ?? out.isTTY === true);
  const history = fit(e.model, e.data, e.loss, e.optimiser, {
    epochs: e.epochs,
    batchsize: e.batchsize,
    onEpochStart: (epoch, steps) => progress.start(epoch, steps),
    onStep: (report) => progress.step(report),
    onEpochEnd: (record) => progress.end(record),
  });
  const trainSeconds = history.epochs.reduce((s, r) => s + r.seconds, 0);
  const last = history.epochs.at(-1)!;

  savestate(files.model, e.model);
  const testNote = last.testAccuracy !== undefined ? `, test accuracy ${last.testAccuracy.toFixed(3)}` : "";
  writeFileAtomic(files.lossChart, lossChartSvg(history, { title: `${e.name}: ${e.epochs} epochs${testNote}` }));
  const graph = scriptGraph(experimentGraphScript(e), true, e.name);
  const graphStats = statsLine(graph.stats());
  const graphTitle = `${e.name}: the gradient graph of one training step (${graphStats})`;
  writeFileAtomic(files.graph, await graphSvg(graph, graphTitle));

  out.write("\n");
  if (last.testAccuracy !== undefined) out.write(`test accuracy: ${last.testAccuracy.toFixed(3)} (${nTest} held-out examples never used in training)\n`);
  else if (last.testLoss !== undefined) out.write(`test loss: ${last.testLoss.toFixed(4)} (${nTest} held-out examples)\n`);
  out.write(
    `trained ${e.epochs} epoch${e.epochs === 1 ? "" : "s"} in ${trainSeconds.toFixed(1)} s (${(trainSeconds / e.epochs).toFixed(2)} s per epoch)\n` +
      `saved the model to ${files.model}  (load it with loadmodel(model, loadstate(file)))\n` +
      `wrote ${files.lossChart}  (loss and accuracy curves)\n` +
      `wrote ${files.graph}  (the gradient graph: ${graphStats})\n`,
  );
  return { name: e.name, model: e.model, data: e.data, history, testAccuracy: last.testAccuracy, trainSeconds, files };
}
