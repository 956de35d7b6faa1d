/** `tsflux train <experiment>`: runs a scripted experiment with progress bars, then saves the model and plots. */
import { loadScript } from "../load-script";
import { runExperiment } from "../experiment/run";
import type { Output } from "../report/progress";
import { experimentOf } from "./experiment-of";

export interface TrainCommandOptions {
  readonly outDir: string;
  readonly epochs?: number;
  readonly seed?: number;
  readonly progress: boolean;
}

/** Loads the experiment at `path` and runs it (see runExperiment), reporting to `stdout`. */
export async function trainCommand(path: string, opts: TrainCommandOptions, stdout: Output): Promise<void> {
  const experiment = experimentOf(await loadScript(path), path);
  await runExperiment(experiment, {
    outDir: opts.outDir,
    output: stdout,
    progress: opts.progress && stdout.isTTY === true,
    ...(opts.epochs !== undefined ? { epochs: opts.epochs } : {}),
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
  });
}
