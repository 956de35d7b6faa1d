/**
 * The demo `npm run demo` runs: train the MNIST experiment (progress bar per epoch), report the test
 * accuracy on held-out digits, save the model and the plots, then load the saved file into a freshly
 * made model and check that it scores exactly the same. Sizes are options so tests run it small.
 */
import { loadmodel, loadstate, logitcrossentropy, type Layer } from "@tsflux/layers";
import { evaluate, runExperiment, type Experiment, type Output, type RunResult } from "@tsflux/cli";
import { FULL_SIZE, mnistExperiment, type MnistSizes } from "./experiment";

export interface DemoOptions extends Partial<MnistSizes> {
  /** Where the model and the plots go (default "out"). */
  readonly outDir?: string;
  readonly output?: Output;
  /** Progress bars (default: when the output is a terminal). */
  readonly progress?: boolean;
  /** The experiment for given sizes, and its full size (default: the MLP experiment). */
  readonly experiment?: (sizes: MnistSizes) => Experiment;
  readonly fullSize?: MnistSizes;
}

export interface DemoResult extends RunResult {
  /** Test accuracy of a new model loaded from the saved file. */
  readonly reloadedAccuracy: number;
  /** Wall-clock seconds of the whole demo (data, training, files). */
  readonly seconds: number;
}

export async function mnistDemo(opts: DemoOptions = {}): Promise<DemoResult> {
  const started = performance.now();
  const out = opts.output ?? process.stdout;
  const full = opts.fullSize ?? FULL_SIZE;
  const sizes: MnistSizes = { train: opts.train ?? full.train, test: opts.test ?? full.test, epochs: opts.epochs ?? full.epochs };
  const experiment = (opts.experiment ?? mnistExperiment)(sizes);
  const result = await runExperiment(experiment, { outDir: opts.outDir ?? "out", output: out, ...(opts.progress !== undefined ? { progress: opts.progress } : {}) });

  const fresh = loadmodel((experiment.model as () => Layer)(), loadstate(result.files.model));
  const reloadedAccuracy = evaluate(fresh, result.data.test!, logitcrossentropy).accuracy!;
  const verdict = reloadedAccuracy === result.testAccuracy ? "the same as the trained model" : `but the trained model scored ${result.testAccuracy}`;
  out.write(`loaded ${result.files.model} into a new model: test accuracy ${reloadedAccuracy.toFixed(3)}, ${verdict}\n`);
  const seconds = (performance.now() - started) / 1000;
  out.write(`demo done in ${seconds.toFixed(1)} s\n`);
  return { ...result, reloadedAccuracy, seconds };
}
