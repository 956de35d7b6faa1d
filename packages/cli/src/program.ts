/**
 * The `tsflux` command line (commander): `tsflux train <experiment>` and `tsflux graph <script>`,
 * with `--help` on each. `main` returns the exit code instead of exiting, so tests run it in process.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { TsfluxError } from "@tsflux/graph";
import { trainCommand } from "./commands/train";
import { graphCommand } from "./commands/graph";
import { exportCommand, type ExportCommandOptions } from "./commands/export";
import { GRAPH_FORMATS, type GraphFormat } from "./report/graph-output";
import type { Output } from "./report/progress";
import { VERSION } from "./version";

/** Where the command line writes: standard output and standard error. */
export interface Io {
  readonly stdout: Output;
  readonly stderr: Output;
}

function wholeNumber(min: number) {
  return (text: string): number => {
    const n = Number(text);
    if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min) throw new InvalidArgumentError(`expected a whole number >= ${min}.`);
    return n;
  };
}

const TRAIN_HELP = `
An experiment is a TypeScript or JavaScript module whose default export is an
experiment { name, seed, model, data, loss, optimiser, epochs, batchsize }, or a
JSON file naming them, e.g.
  { "model": { "Chain": [{ "Dense": [784, 64, "relu"] }, { "Dense": [64, 10] }] },
    "data": { "mnist": { "train": 2000, "test": 1000 } },
    "optimiser": { "Adam": [0.001] }, "epochs": 3, "seed": 1 }

Examples:
  tsflux train examples/mnist/experiment.ts
  tsflux train examples/mnist/small.json --epochs 1 --out-dir out/small`;

const GRAPH_HELP = `
A graph script exports \`model\`, \`inputs\` (the arguments after the model) and,
for --grad, \`loss(model, ...inputs)\`; an experiment works too (one batch of its data).
Without --format, the format follows the --out file's extension (.svg, .dot, .json, .txt).

Examples:
  tsflux graph examples/mnist/experiment.ts --grad
  tsflux graph examples/graph-script.ts --grad --out out/grad.svg
  tsflux graph examples/graph-script.ts --format json
  tsflux graph model.onnx`;

const EXPORT_HELP = `
The model is traced on one batch of the experiment's data (or a script's first
input); the ONNX input is [batch, features...], the tsflux shape reversed.

Examples:
  tsflux export out/model.safetensors --experiment examples/mnist/experiment.ts --onnx out/model.onnx
  tsflux export examples/mnist/experiment.ts --weights out/model.safetensors --onnx out/model.onnx
  tsflux graph out/model.onnx`;

/** The commander program, writing to `io` and throwing instead of exiting. */
export function createProgram(io: Io): Command {
  const program = new Command("tsflux")
    .description("tsflux: train scripted experiments and inspect forward and gradient graphs")
    .version(VERSION, "-V, --version", "print the tsflux version")
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .exitOverride()
    .showHelpAfterError("(run with --help for usage)");

  program
    .command("train")
    .description("train a scripted experiment with a progress bar per epoch, then save the model (model.safetensors) and plot loss and accuracy (loss.svg) and the gradient graph (graph.svg)")
    .argument("<experiment>", "a .ts/.js module or a .json file")
    .option("-o, --out-dir <dir>", "folder for the model and the plots", "out")
    .option("--epochs <n>", "train this many epochs instead of the experiment's", wholeNumber(1))
    .option("--seed <n>", "seed instead of the experiment's", wholeNumber(0))
    .option("--no-progress", "one line per epoch instead of progress bars")
    .addHelpText("after", TRAIN_HELP)
    .action(async (path: string, opts: { outDir: string; epochs?: number; seed?: number; progress: boolean }) => {
      await trainCommand(path, opts, io.stdout);
    });

  program
    .command("graph")
    .description("print or render the forward graph (or with --grad the gradient graph) of a script, with its stats: nodes by op, FLOPs, arena bytes")
    .argument("<script>", "a graph script or an experiment (.ts/.js/.json), or an ONNX model (.onnx)")
    .option("--grad", "the gradient graph (what `gradient` compiles) instead of the forward graph", false)
    .addOption(new Option("-f, --format <format>", "output format (default: text, or from --out's extension)").choices(GRAPH_FORMATS))
    .option("-o, --out <file>", "write to this file instead of printing")
    .addHelpText("after", GRAPH_HELP)
    .action(async (path: string, opts: { grad: boolean; format?: GraphFormat; out?: string }) => {
      await graphCommand(path, opts, io.stdout);
    });
  program
    .command("export")
    .description("write a model as ONNX (to serve it with ONNX Runtime): the model of an experiment or graph script, with trained weights from a safetensors file")
    .argument("<model>", "an experiment or graph script (.ts/.js/.json), or a model.safetensors saved by `tsflux train` (then give --experiment)")
    .option("--onnx <file>", "the ONNX file to write")
    .option("--experiment <file>", "the experiment or script that builds the model, when <model> is a safetensors file")
    .option("--weights <file>", "trained weights (a safetensors file) to load into the experiment's model")
    .option("--opset <n>", "ONNX opset (17 or newer)", wholeNumber(17), 17)
    .option("--static-batch", "fix the batch size to the example batch's instead of a symbolic batch dim", false)
    .addHelpText("after", EXPORT_HELP)
    .action(async (path: string, opts: ExportCommandOptions) => {
      await exportCommand(path, opts, io.stdout);
    });
  return program;
}

/**
 * Runs `tsflux` with `argv` (as process.argv: node, script, then the arguments) and returns the exit
 * code: 0 on success (and for --help), 1 with a message on stderr for bad usage, a bad file or an
 * error while running.
 */
export async function main(argv: readonly string[], io: Io = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const program = createProgram(io);
  try {
    await program.parseAsync([...argv]);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode; // commander has printed its message (or the help)
    const error = e as Error;
    io.stderr.write(`error: ${error.message}\n`);
    if (!(error instanceof TsfluxError)) io.stderr.write(`${error.stack ?? ""}\n`);
    return 1;
  }
}
